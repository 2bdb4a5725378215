"""The weather begins to be rain, snow, a heat wave or bad fine dust, as the weather source reports it
(polled on the hub's clock): {"kind": "weather", "weather": "rain"} ("비 오면 창문 닫아줘").

The weather skill (KMA, Open-Meteo ...) is the `WeatherSource`. The first answer only sets the
baseline: a restart in the rain does not close the windows again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.rules.fields import Fields
from jibsa.rules.model import Trigger
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording

log = logging.getLogger(__name__)
WEATHER_KINDS = ("rain", "snow", "heat", "dust_bad")


@dataclass(frozen=True, slots=True)
class WeatherTrigger(Trigger):
    weather: str

    kind: ClassVar[str] = "weather"


def _read(fields: Fields) -> WeatherTrigger:
    return WeatherTrigger(fields.choice("weather", WEATHER_KINDS))


class WeatherWatcher(Watcher):
    def __init__(self, site: WatchSite) -> None:
        super().__init__(site)
        self._now: frozenset[str] | None = None  # None until the first answer: that one is the baseline
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.site.weather is not None:
            self._task = asyncio.create_task(self._run(), name="rules:weather")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def poll(self) -> frozenset[str]:
        """Ask the source once; fire the rules of what began since the last answer. A failing source is
        logged and changes nothing."""
        source = self.site.weather
        if source is None:
            return frozenset()
        try:
            current = await source.conditions(self.site.city)
        except Exception:  # a weather service being down must not stop the rules
            log.warning("weather for rules unavailable", exc_info=True)
            return frozenset()
        began = current - self._now if self._now is not None else frozenset()
        self._now = current
        for rule in tuple(self.rules.values()):
            weather = rule.when.weather if isinstance(rule.when, WeatherTrigger) else None
            if weather in began:
                self.site.fire(rule, weather)
        return began

    async def _run(self) -> None:
        while True:
            await self.poll()
            await self.site.clock.sleep_until(self.site.clock.now() + self.site.weather_poll_s)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    for kind, pattern in hearing.words("weather").items():
        if re.search(pattern, part):
            return {"kind": "weather", "weather": kind}
    return None


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return str(w.text("weather", when["weather"]))


def _happened(trigger: WeatherTrigger, value: Any, w: Wording) -> str:
    return str(w.text("weather", trigger.weather))


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return str(w.text("weather").get(when.get("weather"), ""))


KIND = TriggerKind("weather", _read, WeatherWatcher, _hear, _read_back, _happened, _because, rank=5, hearing_rank=40)
