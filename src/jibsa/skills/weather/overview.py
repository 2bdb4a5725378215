"""The weather as the dashboard shows it: the home's city in detail and the 20 cities of the strip,
with every word the page needs in Korean and English (the catalogue's `weather` section)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.report import WeatherReport, city, strip_cities
from jibsa.skills.weather.sentences import condition_words, grade_words, say_failure, stale_notice
from jibsa.skills.weather.skill import WeatherSource

PARALLEL = 4  # requests in flight to the service at once (the first load asks for 20 cities)


async def weather_overview(source: WeatherSource | None, home_city: str, now: datetime) -> dict[str, Any]:
    """{"available", "home", "strip", "message"/"message_en" when the home's city failed}."""
    if source is None:
        return {"available": False, "home": None, "strip": [], **_message("not_configured")}
    limit = asyncio.Semaphore(PARALLEL)

    async def one(name: str, detail: bool) -> WeatherReport | _Failed:
        async with limit:
            try:
                return await source.report(name, now, detail=detail)
            except WeatherServiceError as exc:
                return _Failed(exc.reason, exc.source)
            except LookupError:
                return _Failed("unknown_city")

    asked = asyncio.ensure_future(one(home_city, True))
    here = _name(home_city)
    # The home's city in the strip is the home card's own reading: one current reading feeds both.
    strip = await asyncio.gather(*(asked if name == here else one(name, False) for name in strip_cities()))
    home = await asked
    out: dict[str, Any] = {
        "available": True,
        "home": None,
        "strip": [_tile(name, r) for name, r in zip(strip_cities(), strip, strict=True)],
    }
    if isinstance(home, _Failed):
        return {**out, **_message(home.reason, home.source)}
    return {**out, "home": _detail(home)}


@dataclass(frozen=True, slots=True)
class _Failed:
    """Why a city has no weather, and which service failed."""

    reason: str
    source: str = "kma"


def _name(city_name: str) -> str:
    """The city's Korean name as the strip lists it ("" when it is none of the known ones)."""
    try:
        return city(city_name).name
    except LookupError:
        return ""


def _message(reason: str, source: str = "kma") -> dict[str, str]:
    return {"message": say_failure(reason, "ko", source), "message_en": say_failure(reason, "en", source)}


def _tile(name: str, report: WeatherReport | _Failed) -> dict[str, Any]:
    if isinstance(report, _Failed):
        return {"city": name, "error": report.reason}
    today = report.days[0] if report.days else None
    condition = (report.current.condition if report.current else None) or (today.condition if today else None)
    return {
        "city": report.city.name,
        "city_en": report.city.name_en,
        "condition": condition,
        "words": condition_words(condition),
        "temperature": report.current.temperature if report.current else None,
        "rain_chance": today.rain_chance if today else None,
        "stale": report.stale is not None,
    }


def _detail(report: WeatherReport) -> dict[str, Any]:
    out = report.to_dict()
    current = out.get("current") or {}
    out["words"] = condition_words(current.get("condition") or (report.days[0].condition if report.days else None))
    if report.air is not None:
        out["air_words"] = {"pm10": grade_words(report.air.pm10_grade), "pm25": grade_words(report.air.pm25_grade)}
    if report.stale is not None and report.stale.as_of is not None:
        out["stale"]["notice"] = {
            lang: stale_notice(report.stale.reason, report.stale.as_of, lang, report.stale.source)
            for lang in ("ko", "en")
        }
    return out
