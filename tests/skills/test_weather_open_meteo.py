"""The Open-Meteo weather source against a local server answering as Open-Meteo's forecast API does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from jibsa.answers import describe_outcome
from jibsa.domain import Command
from jibsa.home_file import load_home
from jibsa.hub import Outcome
from jibsa.skills.open_meteo import OpenMeteoSource, UnknownCity, weather_words
from jibsa.skills.weather import weather_skill

SEOUL = ZoneInfo("Asia/Seoul")
BROKEN = web.AppKey("broken", list[bool])


def forecast_body(latitude: float) -> dict[str, Any]:
    return {
        "latitude": latitude, "longitude": 129.0, "timezone": "Asia/Seoul",
        "current": {"time": "2026-11-23T09:00", "temperature_2m": 12.4, "weather_code": 61},
        "daily": {"time": ["2026-11-23", "2026-11-24", "2026-11-25"], "weather_code": [61, 0, 3],
                  "temperature_2m_max": [14.0, 16.5, 13.0], "temperature_2m_min": [8.0, 6.0, 7.5]},
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


async def test_today_uses_current_conditions_and_busan_coordinates(server) -> None:
    test_server, seen = server
    source = OpenMeteoSource(str(test_server.make_url("/v1")))
    today = await source.forecast("부산", "today")
    assert today == {"code": 61, "summary": "약한 비", "high": 14.0, "low": 8.0, "temperature": 12.4}
    assert abs(float(seen[0]["latitude"]) - 35.18) < 0.01 and seen[0]["timezone"] == "Asia/Seoul"
    tomorrow = await source.forecast("부산", "tomorrow")
    assert tomorrow["summary"] == "맑음" and tomorrow["high"] == 16.5


async def test_unknown_city_and_broken_service_are_answers(server) -> None:
    test_server, _ = server
    skill = weather_skill(OpenMeteoSource(str(test_server.make_url("/v1"))))
    view = SimpleNamespace(home=load_home(None).home)  # the skill reads only the home's default city
    unknown = await skill(Command("get_weather", (), {"city": "아틀란티스"}), view)  # type: ignore[arg-type]
    assert unknown.error == "unknown_city"
    test_server.app[BROKEN][0] = True
    down = await skill(Command("get_weather", (), {"city": "서울"}), view)  # type: ignore[arg-type]
    assert down.error == "weather_unavailable"
    with pytest.raises(UnknownCity):
        await OpenMeteoSource(str(test_server.make_url("/v1"))).forecast("아틀란티스", "today")


def test_weather_replies_read_naturally() -> None:
    home = load_home(None).home
    today = Outcome(Command("get_weather"), answer={"city": "부산", "day": "today", "summary": "약한 비",
                                                    "temperature": 12.4, "high": 14.0, "low": 8.0})
    tomorrow = Outcome(Command("get_weather"), answer={"city": "제주", "day": "tomorrow", "summary": "맑음",
                                                       "temperature": 16.5, "high": 16.5, "low": 6.0})
    assert describe_outcome(home, today, "ko") == "오늘 부산은 약한 비, 지금 12.4도, 최고 14도 최저 8도예요."
    assert describe_outcome(home, tomorrow, "ko") == "내일 제주는 맑음, 최고 16.5도 최저 6도예요."
    assert weather_words(95, "en") == "thunderstorm" and weather_words(1234) == "알 수 없음"
