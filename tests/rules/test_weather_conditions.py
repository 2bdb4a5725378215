"""The rules' weather read from a forecast source (the weather skill's interface), with a test double."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from jibsa.skills.weather_conditions import ForecastConditions


class Forecast:
    """Test double of the weather skill's source: answers the forecast it was given."""

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    async def forecast(self, city: str, day: str) -> Mapping[str, Any]:
        self.asked.append((city, day))
        return self.answer


@pytest.mark.parametrize(("answer", "kinds"), [
    ({"code": 61, "temperature": 18}, {"rain"}),
    ({"code": 73, "temperature": -2}, {"snow"}),
    ({"code": 0, "temperature": 34.5}, {"heat"}),
    ({"code": 1, "high": 30, "dust": "나쁨"}, {"dust_bad"}),
    ({"code": 95, "temperature": 33, "dust": "very_bad"}, {"rain", "heat", "dust_bad"}),
    ({"code": 2, "temperature": 21, "dust": "good"}, set()),
])  # fmt: skip
async def test_forecasts_become_weather_kinds(answer: Mapping[str, Any], kinds: set[str]) -> None:
    source = Forecast(answer)
    assert await ForecastConditions(source).conditions("부산") == kinds
    assert source.asked == [("부산", "today")]
