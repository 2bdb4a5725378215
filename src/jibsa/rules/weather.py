"""The weather as rules see it: which of rain, snow, heat and bad fine dust hold now.

The weather skill (KMA, Open-Meteo ...) satisfies `WeatherSource`; the watch polls it on the hub's
clock and reports the kinds that have just begun.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from jibsa.hub.clock import Clock

log = logging.getLogger(__name__)


class WeatherSource(Protocol):
    async def conditions(self, city: str) -> frozenset[str]:
        """The weather kinds that hold now in `city`: a subset of rain, snow, heat, dust_bad."""
        ...


class WeatherWatch:
    def __init__(self, source: WeatherSource | None, city: str, clock: Clock, poll_s: float,
                 began: Callable[[frozenset[str]], None]) -> None:
        self._source = source
        self._city = city
        self._clock = clock
        self._poll_s = poll_s
        self._began = began
        self._now: frozenset[str] | None = None  # None until the first answer: that one is the baseline
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._source is not None:
            self._task = asyncio.create_task(self._run(), name="rules:weather")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def poll(self) -> frozenset[str]:
        """Ask the source once; report what began since the last answer. The first answer only sets
        the baseline (a restart in the rain does not close the windows again); a failing source is
        logged and changes nothing."""
        if self._source is None:
            return frozenset()
        try:
            current = await self._source.conditions(self._city)
        except Exception:  # a weather service being down must not stop the rules
            log.warning("weather for rules unavailable", exc_info=True)
            return frozenset()
        began = current - self._now if self._now is not None else frozenset()
        self._now = current
        if began:
            self._began(began)
        return began

    async def _run(self) -> None:
        while True:
            await self.poll()
            await self._clock.sleep_until(self._clock.now() + self._poll_s)
