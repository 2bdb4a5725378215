"""The weather as rules see it, read from the weather skill's source: rain and snow from the WMO
weather code, heat from the temperature, bad fine dust from a source that reports air quality."""

from __future__ import annotations

from jibsa.skills.weather import WeatherSource

RAIN_CODES = frozenset({51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 80, 81, 82, 95, 96, 99})
SNOW_CODES = frozenset({71, 73, 75, 77, 85, 86})
HEAT_C = 33.0  # 폭염주의보: a daily high of 33 °C or more
BAD_DUST = frozenset({"bad", "very_bad", "나쁨", "매우나쁨"})


class ForecastConditions:
    """`jibsa.hub.rule_weather.WeatherSource` over a forecast source (`WeatherSource.forecast`)."""

    def __init__(self, source: WeatherSource, heat_c: float = HEAT_C) -> None:
        self._source = source
        self._heat_c = heat_c

    async def conditions(self, city: str) -> frozenset[str]:
        now = await self._source.forecast(city, "today")
        kinds: set[str] = set()
        code = now.get("code")
        if isinstance(code, int) and code in RAIN_CODES:
            kinds.add("rain")
        if isinstance(code, int) and code in SNOW_CODES:
            kinds.add("snow")
        temperature = now.get("temperature", now.get("high"))
        if isinstance(temperature, (int, float)) and temperature >= self._heat_c:
            kinds.add("heat")
        if str(now.get("dust", "")).lower() in BAD_DUST:
            kinds.add("dust_bad")
        return frozenset(kinds)
