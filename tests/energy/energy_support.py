"""Helpers for the energy tests (a uniquely named module: several test folders have a conftest): a small
home, and a recorder on it fed state changes by hand, writing to a real store, on a clock the test moves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Home, StateChanged, home_from_mapping
from jibsa.energy.recorder import EnergyRecorder
from jibsa.hub import ManualClock
from jibsa.storage import SqlStore

START = 1_767_193_200.0  # 2026-01-01 00:00 Asia/Seoul, the start of an hour
ROOMS = [{"id": "living", "name": "거실"}]
DEVICES: list[dict[str, Any]] = [
    {"id": "ac", "name": "거실 에어컨", "room": "living", "type": "air_conditioner"},
    {"id": "washer", "name": "세탁기", "type": "washer"},
    {"id": "washer_plug", "name": "세탁기 플러그", "type": "sensor", "measures": ["power", "energy"]},
    {"id": "fridge", "name": "냉장고", "type": "refrigerator"},
    {"id": "main", "name": "계량기", "type": "sensor", "measures": ["energy"]},
]


def small_home(**energy: Any) -> Home:
    data = {"id": "home", "name": "집", "rooms": ROOMS, "devices": DEVICES, "energy": energy or None}
    return home_from_mapping(data).home


@dataclass
class Recording:
    recorder: EnergyRecorder
    store: SqlStore
    clock: ManualClock
    states: dict[str, dict[str, Any]] = field(default_factory=dict)

    def report(self, device_id: str, values: Mapping[str, Any], at: float | None = None) -> None:
        """A device reports `values` at `at` (seconds after START; default now)."""
        old = self.states.setdefault(device_id, {})
        new = {**old, **values}
        self.states[device_id] = new
        when = self.clock.now() if at is None else START + at
        self.recorder.on_event(StateChanged("home", device_id, old, new, when))

    async def kwh(self, device_id: str, hours: float = 48) -> list[float]:
        """kWh per hour of `device_id` from START, after a flush at the clock's now."""
        await self.recorder.flush()
        rows = await self.store.energy_rows("home", START, START + hours * 3600, device_id)
        found = {round((r.start - START) / 3600): r.kwh for r in rows}
        return [round(found.get(h, 0.0), 6) for h in range(int(max(found, default=-1)) + 1)]
