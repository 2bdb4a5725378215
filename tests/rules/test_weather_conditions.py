"""The rules' weather read from the weather skill's source (its `report` interface), with a test double
that answers the reports it was given."""

from __future__ import annotations

from datetime import datetime

import pytest

from jibsa.skills.weather.report import Air, City, Current, DayForecast, WeatherReport
from jibsa.skills.weather_conditions import ForecastConditions

BUSAN = City("부산", "Busan", 35.18, 129.08, 98, 76, "부산", "연산동")


class Reports:
    """Test double of the weather skill's source: answers one report, and records what it was asked."""

    def __init__(self, report: WeatherReport) -> None:
        self.report_given = report
        self.asked: list[str] = []

    async def report(self, city_name: str, now: datetime, *, detail: bool = True) -> WeatherReport:
        self.asked.append(city_name)
        return self.report_given

    async def stop(self) -> None:
        return None


def _report(condition: str, temperature: float, high: float | None = None, grade: int | None = None) -> WeatherReport:
    today = datetime.now().date()
    air = Air(40, 20, grade, grade, "연산동", "") if grade is not None else None
    return WeatherReport(
        BUSAN,
        Current(temperature=temperature, condition=condition),
        (DayForecast(today, high, None, None, condition),),
        air,
    )


@pytest.mark.parametrize(("report", "kinds"), [
    (_report("rain", 18), {"rain"}),
    (_report("snow", -2), {"snow"}),
    (_report("clear", 34.5), {"heat"}),
    (_report("cloudy", 25, high=30, grade=3), {"dust_bad"}),
    (_report("thunderstorm", 33, grade=4), {"rain", "heat", "dust_bad"}),
    (_report("overcast", 21, grade=1), set()),
])  # fmt: skip
async def test_reports_become_weather_kinds(report: WeatherReport, kinds: set[str]) -> None:
    source = Reports(report)
    assert await ForecastConditions(source).conditions("부산") == kinds
    assert source.asked == ["부산"]
