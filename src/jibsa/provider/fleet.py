"""Device events for a simulated fleet: the load a benchmark puts on a worker's homes from inside, as their
devices would (a motion sensor that sees someone, then no one).

A worker listens on `jibsa.sim.events` for `{"per_home_s": R}` and from then on makes, on average, R events a
second in each of its running homes that has a simulated motion sensor: the simulator reports the new
reading (`SimAdapter.inject`), and the hub takes it as any device report (state, history, rules, the home's
`.evt` subject). Homes without simulated devices (every real home) are never touched; R = 0 stops it.

The events are load, not requests: they are made `CHUNK` at a time, and between chunks the loop serves
whatever else is ready first (a command's claim, its reply, a lease renewal). So a command waits behind
at most one chunk of device events, not behind every event a tick owes (at 10,000 homes in a burst, some
500 a tick per worker); the events owed are all made, in order, only later by as long as the requests took."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import weakref
from collections.abc import Callable, Mapping

from jibsa.adapters.sim.adapter import SimAdapter
from jibsa.hub import Hub
from jibsa.provider.cell import CellHome

log = logging.getLogger(__name__)

SUBJECT = "jibsa.sim.events"
TICK_S = 0.05
MAX_PER_HOME_S = 100.0
CHUNK = 16  # device events made before the loop serves what else is ready


class SimulatedEvents:
    """Events at `per_home_s` a home, spread over the running homes `homes()` gives."""

    def __init__(self, homes: Callable[[], Mapping[str, CellHome]], *, seed: int = 11) -> None:
        self._homes = homes
        self._rng = random.Random(seed)
        self.per_home_s = 0.0
        self.made = 0
        self._owed = 0.0
        self._task: asyncio.Task[None] | None = None
        self._sensors: weakref.WeakKeyDictionary[Hub, str | None] = weakref.WeakKeyDictionary()  # its motion sensor

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="simulated-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def order(self, data: bytes) -> None:
        """A message on `SUBJECT`: the new rate (a bad message is logged and changes nothing)."""
        try:
            rate = float(json.loads(data)["per_home_s"])
        except (ValueError, TypeError, KeyError) as error:
            log.warning('%s: not {"per_home_s": number}: %s', SUBJECT, error)
            return
        self.per_home_s = min(max(rate, 0.0), MAX_PER_HOME_S)

    async def _run(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            running = self._homes()
            self._owed += self.per_home_s * len(running) * (now - last)
            last = now
            count = int(self._owed)
            self._owed -= count
            if running and count:  # the homes listed only when a tick owes events (10,000 homes: 20 lists a second)
                await self.make(self._rng.choices(list(running.values()), k=count))

    async def make(self, homes: list[CellHome]) -> None:
        """One device event in each of `homes` (a home may be named more than once), `CHUNK` at a time:
        between chunks, what else the loop has ready runs first."""
        for start in range(0, len(homes), CHUNK):
            if start:
                await asyncio.sleep(0)
            for home in homes[start : start + CHUNK]:
                self._event(home)

    def _event(self, home: CellHome) -> None:
        adapter = home.hub.adapters.get("sim")
        if not isinstance(adapter, SimAdapter):
            return
        sensor = self._sensor(home)
        if sensor is None:
            return
        with contextlib.suppress(Exception):  # a device the simulator cannot take is not a reason to stop
            adapter.inject(sensor, {"motion": not adapter.state(sensor).get("motion", False)})
            self.made += 1

    def _sensor(self, home: CellHome) -> str | None:
        """The home's simulated motion sensor, looked for once per running home (not once per event)."""
        with contextlib.suppress(KeyError):  # one lookup: a weak dictionary's `in` costs as much as a get
            return self._sensors[home.hub]
        found = next((d.id for d in home.hub.home.devices if "motion" in d.measures and d.vendor == "sim"), None)
        self._sensors[home.hub] = found
        return found
