"""What the store says of a billing period: the home's use so far and per whole day, each device's use
and running time, and the same of another stretch (last period, today). Days are the home's own (its
time zone): whole days are read from the daily rows, the rest of a stretch from the hourly ones, so a
month is some thirty rows a device, not seven hundred."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from jibsa.energy.cycle import BillingPeriod
from jibsa.energy.store import HOME, HOUR_S, EnergyStore, Grain

DAY_S = 86_400.0
Totals = dict[str, tuple[float, float]]


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


def start_of(day: date, tz: tzinfo | None) -> datetime:
    """Midnight at the start of `day` in the home's time zone."""
    return datetime.combine(day, time(0), tzinfo=tz)


def _midnight_after(moment: datetime) -> datetime:
    """`moment` when it is a midnight, else the next one."""
    midnight = start_of(moment.date(), moment.tzinfo)
    return midnight if midnight == moment else start_of(moment.date() + timedelta(days=1), moment.tzinfo)


def _add(into: dict[str, list[float]], totals: Mapping[str, tuple[float, float]]) -> None:
    for device_id, (kwh, on_s) in totals.items():
        into[device_id][0] += kwh
        into[device_id][1] += on_s


async def use_between(store: EnergyStore, home_id: str, since: datetime, until: datetime) -> Totals:
    """Each device's and the home's (kWh, seconds running) with buckets from `since` up to `until`: the
    whole days between from the daily rows, the hours before and after them from the hourly rows."""
    first_day = min(_midnight_after(since), until)
    last_day = max(start_of(until.date(), until.tzinfo), first_day)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    if first_day > since:
        _add(totals, await store.energy_totals(home_id, since.timestamp(), first_day.timestamp()))
    if last_day > first_day:
        _add(totals, await store.energy_totals(home_id, first_day.timestamp(), last_day.timestamp(), grain=Grain.DAY))
    if until > last_day:
        _add(totals, await store.energy_totals(home_id, last_day.timestamp(), until.timestamp()))
    return {device_id: (kwh, on_s) for device_id, (kwh, on_s) in totals.items()}


async def cycle_usage(store: EnergyStore, home_id: str, period: BillingPeriod, now: datetime) -> CycleUsage:
    """The period's use up to `now` (an aware time in the home's zone)."""
    tz = now.tzinfo
    start = start_of(period.start, tz)
    until = min(now, start_of(period.end, tz))
    totals = await use_between(store, home_id, start, until)
    today = max(min(start_of(now.date(), tz), until), start)
    days = await store.energy_rows(home_id, start.timestamp(), today.timestamp(), HOME, grain=Grain.DAY)
    per_day = {datetime.fromtimestamp(row.start, tz).date(): row.kwh for row in days}
    since = await _measured_since(store, home_id, days[0].start if days else today.timestamp(), until, tz)
    whole = []
    if since is not None:
        day = since.date() if since == start_of(since.date(), tz) else since.date() + timedelta(days=1)
        while day < now.date():
            whole.append(per_day.get(day, 0.0))
            day += timedelta(days=1)
    kwh = totals.get(HOME, (0.0, 0.0))[0]
    return CycleUsage(period, now, kwh, tuple(whole), {d: v for d, v in totals.items() if d != HOME}, since)


async def _measured_since(
    store: EnergyStore, home_id: str, from_ts: float, until: datetime, tz: tzinfo | None
) -> datetime | None:
    """The first hour of the home's use at or after `from_ts` (a day's start: at most a day of hours read)."""
    hours = await store.energy_rows(home_id, from_ts, min(from_ts + DAY_S, until.timestamp()), HOME)
    if not hours and from_ts + DAY_S < until.timestamp():
        hours = await store.energy_rows(home_id, from_ts + DAY_S, until.timestamp(), HOME)
    return datetime.fromtimestamp(hours[0].start, tz) if hours else None


async def home_use(store: EnergyStore, home_id: str, since: datetime, until: datetime) -> float:
    """The home's kWh with buckets from `since` (a midnight) up to `until`: its days, then its hours."""
    last_day = max(start_of(until.date(), until.tzinfo), since)
    days = await store.energy_rows(home_id, since.timestamp(), last_day.timestamp(), HOME, grain=Grain.DAY)
    hours = await store.energy_rows(home_id, last_day.timestamp(), until.timestamp(), HOME) if until > last_day else []
    return sum(row.kwh for row in (*days, *hours))


async def device_totals(
    store: EnergyStore, home_id: str, since: datetime, until: datetime
) -> Mapping[str, tuple[float, float]]:
    """Each device's (kWh, seconds running) with buckets from `since` up to `until`."""
    return {d: v for d, v in (await use_between(store, home_id, since, until)).items() if d != HOME}
