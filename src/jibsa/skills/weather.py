"""get_weather: the weather is answered by a `WeatherSource`.

jibsa reaches no network by default, so out of the box there is no source and the answer says so
plainly; a deployment plugs a real source (the Korea Meteorological Administration's API, say) in
with `weather_skill(source)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from jibsa.domain import Command
from jibsa.hub import Outcome, Skill, SkillHost


class WeatherSource(Protocol):
    async def forecast(self, city: str, day: str) -> Mapping[str, Any]:
        """{"summary": "맑음", "temperature": 21, "high": 24, "low": 15, ...} for a city and day."""
        ...


def weather_skill(source: WeatherSource | None) -> Skill:
    async def get_weather(command: Command, hub: SkillHost) -> Outcome:
        city = str(command.params.get("city") or hub.home.city)
        day = str(command.params.get("day") or "today")
        if source is None:
            return Outcome(command, error="no_weather_source", answer={"city": city, "day": day})
        try:
            forecast = await source.forecast(city, day)
        except LookupError:
            return Outcome(command, error="unknown_city", answer={"city": city, "day": day})
        except Exception as exc:  # a weather service being down is an answer, not a crash
            return Outcome(command, error="weather_unavailable", answer={"city": city, "day": day,
                                                                          "reason": type(exc).__name__})
        return Outcome(command, answer={"city": city, "day": day, **forecast})

    return get_weather
