"""The weather as rules see it, read from the weather skill's source: rain and snow from the current
condition (or today's forecast), heat from the temperature, bad fine dust from the air grades."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from jibsa.domain.home import DEFAULT_CITY
from jibsa.skills.weather import WeatherSource

RAIN = frozenset({"drizzle", "shower", "rain", "sleet", "thunderstorm"})
SNOW = frozenset({"flurries", "drizzle_snow", "sleet", "snow"})
HEAT_C = 33.0  # 폭염주의보: a daily high of 33 °C or more
BAD_GRADE = 3  # AirKorea's grades: 1 좋음, 2 보통, 3 나쁨, 4 매우나쁨
SEOUL = ZoneInfo("Asia/Seoul")


class ForecastConditions:
    """`jibsa.rules.triggers.base.WeatherSource` over the weather skill's source (`WeatherSource.report`)."""

    def __init__(self, source: WeatherSource, home_city: str | None = None, heat_c: float = HEAT_C) -> None:
        self._source = source
        self._home_city = home_city
        self._heat_c = heat_c

    async def conditions(self, city: str) -> frozenset[str]:
        now = datetime.now(UTC).astimezone(SEOUL)
        report = await self._source.report(city or self._home_city or DEFAULT_CITY, now)
        today = report.day(now.date())
        condition = (report.current.condition if report.current else None) or (today.condition if today else "")
        kinds: set[str] = set()
        if condition in RAIN:
            kinds.add("rain")
        if condition in SNOW:
            kinds.add("snow")
        temperature = report.current.temperature if report.current else None
        high = today.high if today else None
        if any(isinstance(t, (int, float)) and t >= self._heat_c for t in (temperature, high)):
            kinds.add("heat")
        grades = (report.air.pm10_grade, report.air.pm25_grade) if report.air else ()
        if any(isinstance(g, int) and g >= BAD_GRADE for g in grades):
            kinds.add("dust_bad")
        return frozenset(kinds)
