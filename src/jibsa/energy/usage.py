"""What the store says of a billing period: the home's use so far and per whole day, each device's use
and running time, and the same of another stretch (last period, today). Days are the home's own
(its time zone), hours are the store's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jibsa.energy.cycle import BillingPeriod
from jibsa.energy.store import HOME, HOUR_S, EnergyStore

DAY_S = 86_400.0


@dataclass(frozen=True)
class CycleUsage:
    period: BillingPeriod
    now: datetime
    kwh: float  # the home's use from the period's start (or from when measuring began) to now
    whole_days: tuple[float, ...]  # the home's use on each whole day measured so far
    devices: Mapping[str, tuple[float, float]]  # device id -> (kWh, seconds running) so far
    measured_since: datetime | None  # the first hour with any energy in the period; None: none yet

    @property
    def gone_days(self) -> float:
        """Days from the period's start to now."""
        return max((self.now - start_of(self.period.start, self.now.tzinfo)).total_seconds(), 0.0) / DAY_S

    @property
    def elapsed_days(self) -> float:
        """Days of the period measured: from its start, or from when measuring began if later."""
        since = self.measured_since or self.now
        return max((self.now - max(since, start_of(self.period.start, self.now.tzinfo))).total_seconds(), 0.0) / DAY_S

    @property
    def partial(self) -> bool:
        """Measuring began after the period's first hour: the use of its first days is missing."""
        start = start_of(self.period.start, self.now.tzinfo)
        return self.measured_since is not None and (self.measured_since - start).total_seconds() > HOUR_S


def start_of(day: date, tz: object) -> datetime:
    """Midnight at the start of `day` in the home's time zone."""
    return datetime.combine(day, time(0), tzinfo=tz if isinstance(tz, ZoneInfo) else None)


async def cycle_usage(store: EnergyStore, home_id: str, period: BillingPeriod, now: datetime) -> CycleUsage:
    """The period's use up to `now` (an aware time in the home's zone)."""
    start = start_of(period.start, now.tzinfo).timestamp()
    until = min(now.timestamp(), start_of(period.end, now.tzinfo).timestamp())
    devices = await store.energy_totals(home_id, start, until)
    rows = await store.energy_rows(home_id, start, until, HOME)
    per_day: dict[date, float] = defaultdict(float)
    for row in rows:
        per_day[datetime.fromtimestamp(row.start, now.tzinfo).date()] += row.kwh
    first = datetime.fromtimestamp(rows[0].start, now.tzinfo) if rows else None
    whole = []
    if first is not None:
        day = first.date() if first.time() == time(0) else first.date() + timedelta(days=1)
        while day < now.date():
            whole.append(per_day.get(day, 0.0))
            day += timedelta(days=1)
    kwh = devices.get(HOME, (0.0, 0.0))[0]
    return CycleUsage(period, now, kwh, tuple(whole), {d: v for d, v in devices.items() if d != HOME}, first)


async def home_use(store: EnergyStore, home_id: str, since: datetime, until: datetime) -> float:
    """The home's kWh with hours from `since` up to `until`."""
    totals = await store.energy_totals(home_id, since.timestamp(), until.timestamp())
    return totals.get(HOME, (0.0, 0.0))[0]


async def device_totals(store: EnergyStore, home_id: str, since: datetime,
                        until: datetime) -> Mapping[str, tuple[float, float]]:
    """Each device's (kWh, seconds running) with hours from `since` up to `until`."""
    totals = await store.energy_totals(home_id, since.timestamp(), until.timestamp())
    return {d: v for d, v in totals.items() if d != HOME}
