"""The Open-Meteo weather source against a local server answering as Open-Meteo's forecast API does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from jibsa.answers import describe_outcome
from jibsa.domain import Command
from jibsa.home_file import load_home
from jibsa.hub import ManualClock
from jibsa.skills.weather import UnknownCity, weather_skill
from jibsa.skills.weather.open_meteo import OpenMeteoSource, condition_of

SEOUL = ZoneInfo("Asia/Seoul")
BROKEN = web.AppKey("broken", list[bool])


def forecast_body(latitude: float) -> dict[str, Any]:
    return {
        "latitude": latitude, "longitude": 129.0, "timezone": "Asia/Seoul",
        "current": {"time": "2026-11-23T09:00", "temperature_2m": 12.4, "weather_code": 61},
        "daily": {"time": ["2026-11-23", "2026-11-24", "2026-11-25"], "weather_code": [61, 0, 3],
                  "temperature_2m_max": [14.0, 16.5, 13.0], "temperature_2m_min": [8.0, 6.0, 7.5],
                  "precipitation_probability_max": [90, 0, 20]},
    }  # fmt: skip


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    async def forecast(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        if "latitude" not in request.query or "longitude" not in request.query:
            return web.json_response({"error": True, "reason": "Parameter 'latitude' is missing"}, status=400)
        if request.app[BROKEN][0]:
            return web.json_response({"error": True, "reason": "internal"}, status=500)
        return web.json_response(forecast_body(float(request.query["latitude"])))

    app = web.Application()
    app[BROKEN] = [False]  # a list, so a test can flip it while the app runs
    app.router.add_get("/v1/forecast", forecast)
    test_server = TestServer(app)
    await test_server.start_server()
    yield test_server, seen
    await test_server.close()


MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=SEOUL)


@pytest.fixture
async def source(server) -> AsyncIterator[OpenMeteoSource]:
    made = OpenMeteoSource(str(server[0].make_url("/v1")))
    yield made
    await made.stop()


async def test_today_uses_current_conditions_and_busan_coordinates(server, source: OpenMeteoSource) -> None:
    _, seen = server
    report = await source.report("부산", MONDAY)
    assert report.current is not None and (report.current.temperature, report.current.condition) == (12.4, "rain")
    assert abs(float(seen[0]["latitude"]) - 35.177) < 0.01 and seen[0]["timezone"] == "Asia/Seoul"
    tomorrow = report.day(MONDAY.date() + timedelta(days=1))
    assert tomorrow is not None and (tomorrow.condition, tomorrow.high, tomorrow.rain_chance) == ("clear", 16.5, 0)
    await source.report("부산", MONDAY + timedelta(minutes=20))
    assert len(seen) == 1  # the same hour: kept


async def test_unknown_city_and_broken_service_are_answers(server, source: OpenMeteoSource) -> None:
    test_server, _ = server
    skill = weather_skill(source)
    view = SimpleNamespace(home=load_home(None).home, clock=ManualClock(MONDAY.timestamp()), timezone=SEOUL)
    unknown = await skill(Command("get_weather", (), {"city": "아틀란티스"}), view)  # type: ignore[arg-type]
    assert unknown.error == "unknown_city"
    test_server.app[BROKEN][0] = True
    down = await skill(Command("get_weather", (), {"city": "서울"}), view)  # type: ignore[arg-type]
    assert down.error == "weather_unavailable"
    home = load_home(None).home
    # Issue 25: the service that failed is named, not 기상청.
    assert describe_outcome(home, down, "ko") == "Open-Meteo 서비스가 지금 답하지 않아서 날씨를 알 수 없어요."
    assert describe_outcome(home, down, "en") == "Open-Meteo isn't answering right now."
    with pytest.raises(UnknownCity):
        await source.report("아틀란티스", MONDAY)


async def test_weather_replies_read_naturally(source: OpenMeteoSource) -> None:
    skill = weather_skill(source)
    view = SimpleNamespace(home=load_home(None).home, clock=ManualClock(MONDAY.timestamp()), timezone=SEOUL)
    today = await skill(Command("get_weather", (), {"city": "부산"}), view)  # type: ignore[arg-type]
    tomorrow = await skill(Command("get_weather", (), {"city": "제주", "day": "tomorrow"}), view)  # type: ignore[arg-type]
    home = load_home(None).home
    assert describe_outcome(home, today, "ko") == (
        "지금 부산은 비가 오고 12.4도예요. 오늘 부산은 비가 오고 최고 14도, 최저 8도예요. 비 올 확률은 90%예요."
    )
    assert describe_outcome(home, tomorrow, "ko") == (
        "내일 제주는 맑고 최고 16.5도, 최저 6도예요. 비 올 확률은 0%예요."
    )
    assert describe_outcome(home, tomorrow, "en") == (
        "Tomorrow in Jeju: clear, high 16.5°C, low 6°C. Chance of rain 0%."
    )
    assert condition_of(95) == "thunderstorm" and condition_of(3) == "overcast"
