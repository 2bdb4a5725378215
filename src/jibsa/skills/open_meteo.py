"""A weather source over Open-Meteo's forecast API (no account or key needed).

jibsa reaches no network unless told to: this source is used only when the configuration says
`weather: {provider: open-meteo}`. Cities are the Korean names of `data/weather_ko.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import httpx
import yaml

DEFAULT_BASE_URL = "https://api.open-meteo.com/v1"
DAY_INDEX = {"today": 0, "tomorrow": 1, "day_after_tomorrow": 2}


class UnknownCity(LookupError):
    """A city the weather source has no coordinates for."""


@cache
def _places() -> dict[str, Any]:
    text = resources.files("jibsa.data").joinpath("weather_ko.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def weather_words(code: int, language: str = "ko") -> str:
    """The WMO weather code in words: 61 -> "약한 비" / "light rain"."""
    words = _places()["weather_codes"].get(int(code))
    if words is None:
        return "알 수 없음" if language == "ko" else "unknown"
    return str(words[0] if language == "ko" else words[1])


class OpenMeteoSource:
    def __init__(self, base_url: str = DEFAULT_BASE_URL, client: httpx.AsyncClient | None = None,
                 timeout: float = 5.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._client = client
        self._timeout = timeout

    async def forecast(self, city: str, day: str) -> Mapping[str, Any]:
        """{"summary", "temperature", "high", "low", "code"} for `city` on `day`."""
        coordinates = _places()["cities"].get(city)
        if coordinates is None:
            raise UnknownCity(city)
        params = {
            "latitude": coordinates[0], "longitude": coordinates[1], "timezone": "Asia/Seoul", "forecast_days": 3,
            "current": "temperature_2m,weather_code", "daily": "weather_code,temperature_2m_max,temperature_2m_min",
        }  # fmt: skip
        client = self._client or httpx.AsyncClient(timeout=self._timeout)
        try:
            response = await client.get(f"{self._base_url}/forecast", params=params)
            response.raise_for_status()
            body = response.json()
        finally:
            if self._client is None:
                await client.aclose()
        return _read(body, DAY_INDEX.get(day, 0))


def _read(body: Mapping[str, Any], index: int) -> dict[str, Any]:
    daily = body["daily"]
    code = int(daily["weather_code"][index])
    out = {"code": code, "summary": weather_words(code), "high": daily["temperature_2m_max"][index],
           "low": daily["temperature_2m_min"][index]}
    current = body.get("current") or {}
    if index == 0 and "temperature_2m" in current:
        out["temperature"] = current["temperature_2m"]
        out["code"] = int(current.get("weather_code", code))
        out["summary"] = weather_words(out["code"])
    else:
        out["temperature"] = out["high"]
    return out
