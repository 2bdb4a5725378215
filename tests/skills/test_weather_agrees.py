"""One current reading feeds every answer: while it rains now, "비 와?", "우산 챙겨야 해?" and "빨래 말려도
돼?" agree with "지금 비 와?", even when today's forecast (its chance of rain, its main condition) says dry."""

from __future__ import annotations

from typing import Any

import pytest

from jibsa.skills.weather.sentences import say_weather

DRY_FORECAST = {"day": "2026-12-07", "condition": "cloudy", "rain_chance": 20, "high": 9, "low": 1, "humidity": 50}


def _answer(topic: str, current: dict[str, Any], day: str = "today") -> dict[str, Any]:
    return {"topic": topic, "day": day, "city": "서울", "city_en": "Seoul", "asked": [DRY_FORECAST], "current": current}


@pytest.mark.parametrize(
    ("topic", "said"), [("rain", "비 소식이 있어요"), ("umbrella", "네, 우산 챙기세요"), ("laundry", "")]
)
def test_raining_now_is_rain_in_every_answer(topic: str, said: str) -> None:
    raining = say_weather(_answer(topic, {"condition": "rain", "temperature": 5}), "ko")
    dry = say_weather(_answer(topic, {"condition": "cloudy", "temperature": 5}), "ko")
    assert raining != dry
    assert said in raining
    assert "없" not in raining.split(".")[0] or topic == "laundry"


def test_tomorrow_is_the_forecast_not_the_rain_now() -> None:
    said = say_weather(_answer("rain", {"condition": "rain", "temperature": 5}, day="tomorrow"), "ko")
    assert "비 소식이 없어요" in said
