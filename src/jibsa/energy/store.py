"""What the energy part needs from persistence; `jibsa.storage` implements it on SQLite and PostgreSQL.

Energy is kept per device per hour and per day for good (what Home Assistant calls long-term
statistics; a day starts at the home's local midnight), and per five minutes for a while (the detail,
pruned). The home as a whole is the device id `HOME`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

HOME = ""  # the device id of the whole home's rows
HOUR_S = 3600.0
DETAIL_S = 300.0
DEFAULT_DETAIL_DAYS = 10.0


class Grain(StrEnum):
    """The buckets a row is of."""

    HOUR = "hour"
    DAY = "day"
    DETAIL = "detail"  # five minutes


@dataclass(frozen=True, slots=True)
class EnergyRow:
    """What `device_id` used in the bucket starting at `start` (epoch seconds): kWh, and seconds running."""

    device_id: str
    start: float
    kwh: float
    on_s: float = 0.0


@dataclass(frozen=True, slots=True)
class MeterCursor:
    """A device's last energy-meter reading, kept so that a restart counts the rise across it."""

    device_id: str
    kwh: float
    at: float


@runtime_checkable
class EnergyStore(Protocol):
    async def add_energy(self, home_id: str, rows: Mapping[Grain, Sequence[EnergyRow]]) -> None:
        """Add each row to the row of the same device and bucket (creating it), in one transaction."""
        ...

    async def save_meter_cursors(self, home_id: str, cursors: Sequence[MeterCursor]) -> None: ...

    async def meter_cursors(self, home_id: str) -> Mapping[str, MeterCursor]: ...

    async def energy_rows(
        self, home_id: str, since: float, until: float, device_id: str | None = None, *, grain: Grain = Grain.HOUR
    ) -> Sequence[EnergyRow]:
        """Rows with `since <= start < until` (of one device when given; the home's rows are `HOME`),
        oldest first."""
        ...

    async def energy_totals(
        self, home_id: str, since: float, until: float, *, grain: Grain = Grain.HOUR
    ) -> Mapping[str, tuple[float, float]]:
        """Per device (and `HOME`): (kWh, seconds running) of the rows with `since <= start < until`."""
        ...

    async def prune_energy_detail(self, home_id: str, before: float) -> int:
        """Forget the five-minute detail older than `before`; how many rows went."""
        ...
