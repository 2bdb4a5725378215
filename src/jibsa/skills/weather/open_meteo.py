"""The key-less choice: Open-Meteo's forecast API (`weather: {provider: open-meteo}`).

Cities come from the same table as KMA's (`cities.yaml`); answers are cached for the hour and, when
the service fails, the last one is given with its time. Open-Meteo has no fine dust here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx

from jibsa.skills.weather.cache import ReleaseCache
from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.kma import get_json
from jibsa.skills.weather.release import Release
from jibsa.skills.weather.report import Current, DayForecast, WeatherReport, city

DEFAULT_BASE_URL = "https://api.open-meteo.com/v1"
SOURCE = "open_meteo"
# WMO weather interpretation codes -> jibsa's condition names
_WMO = ((0, 1, "clear"), (2, 2, "cloudy"), (3, 48, "overcast"), (51, 57, "drizzle"), (61, 67, "rain"),
        (71, 77, "snow"), (80, 82, "shower"), (85, 86, "snow"), (95, 99, "thunderstorm"))  # fmt: skip


def condition_of(code: int) -> str:
    """The WMO weather code as a condition: 61 -> "rain"."""
    return next((name for low, high, name in _WMO if low <= code <= high), "overcast")


class OpenMeteoSource:
    def __init__(self, base_url: str = DEFAULT_BASE_URL, timeout_s: float = 5.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout_s)
        self.cache: ReleaseCache[dict[str, Any]] = ReleaseCache()

    async def stop(self) -> None:
        await self._http.aclose()

    async def report(self, city_name: str, now: datetime, *, detail: bool = True) -> WeatherReport:
        """The weather in `city_name`; one request answers with and without detail alike."""
        place = city(city_name)
        params = {
            "latitude": place.latitude, "longitude": place.longitude, "timezone": "Asia/Seoul", "forecast_days": 7,
            "wind_speed_unit": "ms",
            "current": "temperature_2m,relative_humidity_2m,wind_speed_10m,precipitation,weather_code",
            "daily": "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max",
        }  # fmt: skip

        async def fetch() -> dict[str, Any]:
            return await get_json(self._http, f"{self._base_url}/forecast", params, SOURCE)

        hour = Release(now.strftime("%Y%m%d"), now.strftime("%H00"))
        body, stale = await self.cache.get(place.name, hour, fetch)
        try:
            return WeatherReport(place, _current(body), _days(body), None, stale, None, hour.moment)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise WeatherServiceError("service", f"unexpected answer: {exc!r}", SOURCE) from None


def _current(body: dict[str, Any]) -> Current:
    now = body.get("current") or {}
    code = now.get("weather_code")
    return Current(
        now.get("temperature_2m"),
        now.get("relative_humidity_2m"),
        now.get("wind_speed_10m"),
        now.get("precipitation"),
        condition_of(int(code)) if code is not None else None,
    )


def _days(body: dict[str, Any]) -> tuple[DayForecast, ...]:
    daily = body["daily"]
    chances = daily.get("precipitation_probability_max") or [None] * len(daily["time"])
    return tuple(
        DayForecast(date.fromisoformat(day), high, low, chance, condition_of(int(code)))
        for day, high, low, chance, code in zip(
            daily["time"],
            daily["temperature_2m_max"],
            daily["temperature_2m_min"],
            chances,
            daily["weather_code"],
            strict=True,
        )
    )
