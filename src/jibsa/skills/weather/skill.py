"""get_weather: what people ask about the weather, answered from a `WeatherSource`.

The command's params: `city` (the home's city when not said), `day` (today, tomorrow,
day_after_tomorrow, weekend) and `topic` (general, rain, umbrella, dust, laundry). The answer
carries the facts the reply needs (`sentences.say_weather`) and, when the service failed and the
values are the last known, why and since when.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, Protocol

from jibsa.domain import Command
from jibsa.hub import Outcome, Skill, SkillHost
from jibsa.skills.manifest import SkillManifest, read_manifest
from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.report import WeatherReport
from jibsa.skills.weather.sentences import say_failure, say_weather

TOPICS = frozenset({"general", "rain", "umbrella", "dust", "laundry"})
SATURDAY = 5


class WeatherSource(Protocol):
    async def report(self, city_name: str, now: datetime, *, detail: bool = True) -> WeatherReport:
        """The weather in a city at `now`; raises LookupError for an unknown city and
        WeatherServiceError when the service fails and nothing is known yet."""
        ...

    async def stop(self) -> None:
        """Close the source's connections."""
        ...


def asked_dates(day: str, today: date) -> list[date]:
    """The dates a day word means: "weekend" is this Saturday and Sunday (only Sunday on a Sunday)."""
    if day == "weekend":
        saturday = today + timedelta(days=(SATURDAY - today.weekday()) % 7)
        if today.weekday() == SATURDAY + 1:
            return [today]
        return [saturday, saturday + timedelta(days=1)]
    offset = {"tomorrow": 1, "day_after_tomorrow": 2}.get(day, 0)
    return [today + timedelta(days=offset)]


def weather_answer(report: WeatherReport, day: str, topic: str, now: datetime) -> dict[str, Any]:
    """The facts for the reply: the report, the days asked about and what was asked."""
    facts = report.to_dict()
    dates = asked_dates(day, now.date())
    found = {d["day"]: d for d in facts["days"]}
    return {
        **facts,
        "city": report.city.name,
        "city_en": report.city.name_en,
        "day": day,
        "topic": topic,
        "asked": [found.get(d.isoformat()) or {"day": d.isoformat(), "missing": True} for d in dates],
        "last_day": facts["days"][-1]["day"] if facts["days"] else None,
    }


@cache
def weather_manifest() -> SkillManifest:
    """The weather skill described as any skill is (`skill.yaml`): its phrases and slots."""
    text = resources.files("jibsa.skills.weather").joinpath("skill.yaml").read_text(encoding="utf-8")
    return read_manifest(text, "jibsa/skills/weather/skill.yaml")


def weather_skill(source: WeatherSource | None, home_city: str | None = None) -> Skill:
    """get_weather over `source`; a city not said is `home_city`, else the home file's city."""

    async def get_weather(command: Command, hub: SkillHost) -> Outcome:
        city = str(command.params.get("city") or home_city or hub.home.city)
        day = str(command.params.get("day") or "today")
        topic = str(command.params.get("topic") or "general")
        topic = topic if topic in TOPICS else "general"
        if source is None:
            return Outcome(command, error="no_weather_source", answer={"city": city, "day": day})
        now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
        try:
            report = await source.report(city, now)
        except LookupError:
            return Outcome(command, error="unknown_city", answer={"city": city, "day": day})
        except WeatherServiceError as exc:
            said = {lang: say_failure(exc.reason, lang, exc.source) for lang in ("ko", "en")}
            return Outcome(
                command,
                error="weather_unavailable",
                answer={"city": city, "day": day, "reason": exc.reason, "said": said},
            )
        answer = weather_answer(report, day, topic, now)
        return Outcome(command, answer={**answer, "said": {lang: say_weather(answer, lang) for lang in ("ko", "en")}})

    return get_weather
