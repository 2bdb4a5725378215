"""The billing period's use so far, counted after each write of the recorder: `EnergyCounted` goes on the
hub's bus, where the energy trigger kinds ("2단계 넘기 전에 알려줘", "전기요금 5만 원 넘으면 알려줘")
see the period's kWh and bill move and fire when they cross."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from jibsa.domain.home_energy import EnergySettings
from jibsa.energy.billing import compute_bill, tier_edges
from jibsa.energy.cycle import cycle_containing
from jibsa.energy.store import EnergyStore
from jibsa.energy.tariff import Voltage, load_tariff
from jibsa.energy.usage import cycle_usage


@dataclass(frozen=True, slots=True)
class EnergyCounted:
    """One home's billing period so far: its first day (ISO), kWh, bill in won, tier and the period's
    tier edges (kWh, lowest first); `at` is the clock's now. Not sent to screens: rules read it."""

    home_id: str
    at: float
    period: str
    kwh: float
    won: int
    tier: int
    edges: tuple[float, ...]


async def count_period(
    store: EnergyStore, home_id: str, settings: EnergySettings, at: float, timezone: ZoneInfo
) -> EnergyCounted | None:
    """The period containing `at` as the store has it; None while nothing in it was measured."""
    now = datetime.fromtimestamp(at, timezone)
    period = cycle_containing(now.date(), settings.reading_day)
    usage = await cycle_usage(store, home_id, period, now)
    if usage.measured_since is None:
        return None
    tariff, voltage = load_tariff(settings.tariff), Voltage(settings.voltage)
    kwh = round(usage.kwh, 3)
    bill = compute_bill(tariff, kwh, period, voltage)
    edges = tuple(float(e) for e in tier_edges(tariff, period, voltage))
    return EnergyCounted(home_id, at, period.start.isoformat(), kwh, bill.total_won, bill.tier, edges)
