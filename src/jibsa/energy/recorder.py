"""The energy recorder: listens to a home's state changes, turns each device's readings into energy per
hour and per five minutes (meter.py), and adds them to the store every `flush_s` of the home's clock.

Cheap on each change (a few dictionary updates: it runs inside the hub's event delivery); the store is
written once per flush, not per reading. Rows of the whole home (`HOME`) come from the home file's
`energy.meter` when it names one, else from every device added up. A plug named in `measured_by`
measures its appliance: its readings are the appliance's, and the appliance's own are not counted.
Meter readings survive a restart (the store keeps the last of each), so the rise across a restart
is counted; a draw is not assumed across it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from jibsa.domain import AvailabilityChanged, Device, Home, StateChanged
from jibsa.domain.home_energy import EnergySettings
from jibsa.energy.meter import DeviceMeter, Span, buckets
from jibsa.energy.readings import Reading, changed_reading, reading_of
from jibsa.energy.store import DEFAULT_DETAIL_DAYS, DETAIL_S, HOME, HOUR_S, EnergyRow, EnergyStore, Grain, MeterCursor
from jibsa.energy.tally import EnergyCounted, count_period

log = logging.getLogger(__name__)
DEFAULT_FLUSH_S = 300.0
_NO_SETTINGS = EnergySettings()
SEOUL = ZoneInfo("Asia/Seoul")
PRUNE_EVERY_S = 3600.0


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep_until(self, deadline: float) -> None: ...


Totals = defaultdict[tuple[str, float], list[float]]


def _totals() -> Totals:
    return defaultdict(lambda: [0.0, 0.0])


class EnergyRecorder:
    def __init__(
        self,
        home: Callable[[], Home],
        store: EnergyStore,
        clock: Clock,
        *,
        state: Callable[[str], Mapping[str, Any]],
        flush_s: float = DEFAULT_FLUSH_S,
        detail_days: float = DEFAULT_DETAIL_DAYS,
        timezone: ZoneInfo = SEOUL,
        counted: Callable[[EnergyCounted], None] | None = None,
    ) -> None:
        self._home = home
        self._counted = counted  # told the period's use so far after each write (the energy rules listen)
        self._timezone = timezone  # the home's days (the daily rows) start at its midnight
        self._store = store
        self._clock = clock
        self._state = state
        self._flush_s = flush_s
        self._detail_s = detail_days * 86_400 if detail_days > 0 else None  # None: kept for ever
        self._meters: dict[str, DeviceMeter] = {}
        self._hourly: Totals = _totals()
        self._detail: Totals = _totals()
        self._cursors_dirty: set[str] = set()
        self._pruned_at = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()  # one flush at a time: the period's use is told in the order it grew

    @property
    def settings(self) -> EnergySettings:
        return self._home().energy or _NO_SETTINGS

    async def start(self, device_ids: Iterable[str]) -> None:
        """Take each device's meter from the store and its draw from its state now, then flush on schedule."""
        now = self._clock.now()
        cursors = await self._store.meter_cursors(self._home().id)
        for device_id, cursor in cursors.items():
            self._meter(device_id).meter_kwh, self._meter(device_id).meter_at = cursor.kwh, cursor.at
        for device_id in device_ids:
            device = self._home().device(device_id)
            if device is not None:
                self._apply(device, reading_of(device, self._state(device_id)), now)
        self._task = asyncio.create_task(self._run(), name="jibsa-energy-recorder")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.flush()

    def on_event(self, event: object) -> None:
        """The hub's event listener: a reading changed, or a device came or went."""
        if isinstance(event, StateChanged):
            device = self._home().device(event.device_id)
            if device is not None and changed_reading(event.old, event.new):
                self._apply(device, reading_of(device, event.new), event.at)
        elif isinstance(event, AvailabilityChanged):
            device = self._home().device(event.device_id)
            if device is None or device.id not in self._meters:
                return
            if event.available:
                self._apply(device, reading_of(device, self._state(device.id)), event.at)
            else:
                self._add(device.id, self._meters[device.id].stop(event.at))

    async def flush(self) -> None:
        """Bring every device up to now and add what was used to the store. Flushes side by side (the
        recorder's own and a caller's) take turns, or one could tell the month's use after a later one and
        the rules would see it fall and a mark pass twice."""
        async with self._flushing:
            await self._flush()

    async def _flush(self) -> None:
        now = self._clock.now()
        for device_id, meter in self._meters.items():
            self._add(device_id, meter.until(now))
        hourly, self._hourly = self._hourly, _totals()
        detail, self._detail = self._detail, _totals()
        dirty, self._cursors_dirty = self._cursors_dirty, set()
        home_id = self._home().id
        try:
            await self._store.add_energy(
                home_id, {Grain.HOUR: _rows(hourly), Grain.DAY: _rows(self._days(hourly)), Grain.DETAIL: _rows(detail)}
            )
            await self._store.save_meter_cursors(home_id, [
                MeterCursor(d, m.meter_kwh, m.meter_at) for d in dirty
                if (m := self._meters[d]).meter_kwh is not None])  # fmt: skip
        except Exception:  # a store that fails must not lose what was measured: keep it for the next flush
            log.exception("energy: could not write to the store; keeping it for the next try")
            _merge(self._hourly, hourly)
            _merge(self._detail, detail)
            self._cursors_dirty |= dirty
            return
        if self._counted is not None:
            await self._count(now)
        if self._detail_s is not None and now - self._pruned_at >= PRUNE_EVERY_S:
            self._pruned_at = now
            await self._store.prune_energy_detail(home_id, now - self._detail_s)

    # -- inside ---------------------------------------------------------------------------------

    async def _count(self, now: float) -> None:
        assert self._counted is not None
        try:
            counted = await count_period(self._store, self._home().id, self.settings, now, self._timezone)
        except Exception:  # a period that cannot be billed (a tariff not yet in force) must not stop recording
            log.exception("energy: could not count this billing period")
            return
        if counted is not None:
            self._counted(counted)

    async def _run(self) -> None:
        next_flush = (self._clock.now() // self._flush_s + 1) * self._flush_s
        while True:
            await self._clock.sleep_until(next_flush)
            try:
                await self.flush()
            except Exception:  # the recorder must outlive a bad moment of the store
                log.exception("energy: flush failed")
            next_flush += self._flush_s

    def _days(self, hourly: Totals) -> Totals:
        """The hours added up into the home's days (each hour in the day its start falls in)."""
        days = _totals()
        midnights: dict[float, float] = {}
        for (device_id, start), (kwh, on_s) in hourly.items():
            midnight = midnights.get(start)
            if midnight is None:
                local = datetime.fromtimestamp(start, self._timezone)
                midnight = midnights[start] = datetime.combine(local.date(), time(0), self._timezone).timestamp()
            row = days[(device_id, midnight)]
            row[0] += kwh
            row[1] += on_s
        return days

    def _meter(self, device_id: str) -> DeviceMeter:
        meter = self._meters.get(device_id)
        if meter is None:
            meter = self._meters[device_id] = DeviceMeter()
        return meter

    def _apply(self, device: Device, reading: Reading, at: float) -> None:
        meter = self._meter(device.id)
        spans: list[Span] = []
        settings = self.settings
        if device.id not in settings.measured_by:  # a plug measures it: its own readings do not count
            if reading.energy_kwh is not None and reading.energy_kwh != meter.meter_kwh:
                spans += meter.meter(reading.energy_kwh, at)
                self._cursors_dirty.add(device.id)
            if reading.power_w != meter.power_w:
                spans += meter.power(reading.power_w, at)
        if reading.running != meter.running:
            spans += meter.run(reading.running, at)
        self._add(device.id, spans, settings)

    def _add(self, source_id: str, spans: list[Span], settings: EnergySettings | None = None) -> None:
        if not spans:
            return
        settings = settings or self.settings
        device_id = settings.measured_device(source_id)
        whole_home = source_id == settings.meter or (settings.meter is None and source_id != HOME)
        for span in spans:
            for size, totals in ((HOUR_S, self._hourly), (DETAIL_S, self._detail)):
                for start, kwh, on_s in buckets(span, size):
                    row = totals[(device_id, start)]
                    row[0] += kwh
                    row[1] += on_s
                    if whole_home and kwh:
                        totals[(HOME, start)][0] += kwh


def _rows(totals: Totals) -> list[EnergyRow]:
    return [EnergyRow(device_id, start, kwh, on_s) for (device_id, start), (kwh, on_s) in totals.items() if kwh or on_s]


def _merge(into: Totals, rows: Totals) -> None:
    for key, (kwh, on_s) in rows.items():
        into[key][0] += kwh
        into[key][1] += on_s
