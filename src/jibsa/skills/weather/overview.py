"""The weather as the dashboard shows it: the home's city in detail and the 20 cities of the strip,
with every word the page needs in Korean and English (from `sentences.yaml`)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.report import WeatherReport, strip_cities
from jibsa.skills.weather.sentences import condition_words, grade_words, say_failure, stale_notice
from jibsa.skills.weather.skill import WeatherSource

PARALLEL = 4  # requests in flight to the service at once (the first load asks for 20 cities)


async def weather_overview(source: WeatherSource | None, home_city: str, now: datetime) -> dict[str, Any]:
    """{"available", "home", "strip", "message"/"message_en" when the home's city failed}."""
    if source is None:
        return {"available": False, "home": None, "strip": [], **_message("not_configured")}
    limit = asyncio.Semaphore(PARALLEL)

    async def one(name: str, detail: bool) -> WeatherReport | str:
        async with limit:
            try:
                return await source.report(name, now, detail=detail)
            except WeatherServiceError as exc:
                return exc.reason
            except LookupError:
                return "unknown_city"

    home, *strip = await asyncio.gather(one(home_city, True), *(one(name, False) for name in strip_cities()))
    out: dict[str, Any] = {"available": True, "home": None, "strip": [_tile(name, r) for name, r in
                                                                     zip(strip_cities(), strip, strict=True)]}
    if isinstance(home, str):
        return {**out, **_message(home)}
    return {**out, "home": _detail(home)}


def _message(reason: str) -> dict[str, str]:
    return {"message": say_failure(reason, "ko"), "message_en": say_failure(reason, "en")}


def _tile(name: str, report: WeatherReport | str) -> dict[str, Any]:
    if isinstance(report, str):
        return {"city": name, "error": report}
    today = report.days[0] if report.days else None
    condition = (report.current.condition if report.current else None) or (today.condition if today else None)
    return {"city": report.city.name, "city_en": report.city.name_en, "condition": condition,
            "words": condition_words(condition), "temperature": report.current.temperature if report.current else None,
            "rain_chance": today.rain_chance if today else None, "stale": report.stale is not None}


def _detail(report: WeatherReport) -> dict[str, Any]:
    out = report.to_dict()
    current = out.get("current") or {}
    out["words"] = condition_words(current.get("condition") or (report.days[0].condition if report.days else None))
    if report.air is not None:
        out["air_words"] = {"pm10": grade_words(report.air.pm10_grade), "pm25": grade_words(report.air.pm25_grade)}
    if report.stale is not None and report.stale.as_of is not None:
        out["stale"]["notice"] = {lang: stale_notice(report.stale.reason, report.stale.as_of, lang)
                                  for lang in ("ko", "en")}
    return out
