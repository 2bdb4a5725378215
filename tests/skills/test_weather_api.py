"""GET /api/weather: the home's city in detail and the 20-city strip, in the app over httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from weather_support import FRIDAY_AFTERNOON, Sources

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import Settings, open_home
from jibsa.domain import Role
from jibsa.hub import ManualClock
from jibsa.skills.weather import strip_cities
from jibsa.skills.weather.overview import weather_overview
from jibsa.skills.weather.sentences import stale_notice
from jibsa.testing import Fault
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

SEOUL = ZoneInfo("Asia/Seoul")


async def _client(gateway: DataGoKrServer, tmp_path: Path, weather: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    clock = ManualClock(FRIDAY_AFTERNOON.replace(tzinfo=SEOUL).timestamp())
    settings = Settings(data_dir=tmp_path, adapter_settings={"weather": weather} if weather else {})
    async with await open_home(settings, clock=clock, partner_skills=[]) as running:
        _, token = await add_user_with_token(running.store, running.hub.home.id, "guest", Role.GUEST)  # type: ignore[arg-type]
        transport = httpx.ASGITransport(app=create_app(running, AuthSettings()))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://jibsa.test", headers={"Authorization": f"Bearer {token}"}
        ) as client:
            yield client


@pytest.fixture
async def client(gateway: DataGoKrServer, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    weather = {
        "provider": "kma",
        "service_key": SERVICE_KEY,
        "city": "부산",
        "kma_base_url": gateway.kma_url,
        "airkorea_base_url": gateway.airkorea_url,
    }
    async for made in _client(gateway, tmp_path, weather):
        yield made


async def test_the_home_city_in_detail_and_twenty_cities(client: httpx.AsyncClient, gateway: DataGoKrServer) -> None:
    gateway.plan(98, 76, FRIDAY_AFTERNOON.date(), sky=4, pty=1, pop=90, low=9, high=14)
    body = (await client.get("/api/weather")).json()
    home = body["home"]
    assert body["available"] and home["city"]["name"] == "부산" and home["words"] == {"ko": "비", "en": "rain"}
    assert (home["days"][0]["high"], home["days"][0]["rain_chance"]) == (14, 90)
    assert home["air"]["pm10"] == 95 and home["air_words"]["pm10"] == {"ko": "나쁨", "en": "bad"}
    assert [tile["city"] for tile in body["strip"]] == list(strip_cities())
    seoul = body["strip"][0]
    assert seoul["temperature"] == gateway.plans.get(60, 127, FRIDAY_AFTERNOON.date()).temperature(15)
    asked = len(gateway.faults.requests)
    await client.get("/api/weather")
    assert len(gateway.faults.requests) == asked  # all of it cached until the next release


async def test_a_broken_service_is_said_in_both_languages(client: httpx.AsyncClient, gateway: DataGoKrServer) -> None:
    await gateway.close()
    body = (await client.get("/api/weather")).json()
    assert body["home"] is None and body["message"].startswith("기상청에 연결할 수 없어서")
    assert body["message_en"].startswith("I can't reach KMA")
    assert {tile["error"] for tile in body["strip"]} == {"network"}


async def test_not_configured_says_how(gateway: DataGoKrServer, tmp_path: Path) -> None:
    async for client in _client(gateway, tmp_path, {}):
        body = (await client.get("/api/weather")).json()
        assert body["available"] is False and "data.go.kr 서비스 키" in body["message"]
        assert (await client.get("/api/weather", headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert gateway.faults.requests == []


async def test_last_values_carry_their_time_and_a_notice(gateway: DataGoKrServer, kma_source: Sources) -> None:
    source = kma_source()
    await weather_overview(source, "서울", FRIDAY_AFTERNOON)
    gateway.faults.fail_next(Fault.SERVER_ERROR, 100)
    later = await weather_overview(source, "서울", FRIDAY_AFTERNOON + timedelta(hours=3))
    stale = later["home"]["stale"]
    assert stale["reason"] == "service" and stale["as_of"] == "2026-11-27T14:00:00"
    assert stale["notice"]["ko"] == "기상청 서비스가 지금 답하지 않아서 14시 00분 기준 마지막 정보로 알려 드려요."
    assert all(tile["stale"] for tile in later["strip"])


async def test_the_home_city_tile_shows_the_home_cards_reading(
    client: httpx.AsyncClient, gateway: DataGoKrServer
) -> None:
    """Issue 25: the home card and the strip's tile for the home's city show one current reading."""
    gateway.plan(98, 76, FRIDAY_AFTERNOON.date(), sky=4, pty=1, pop=90, low=9, high=14)
    body = (await client.get("/api/weather")).json()
    home = body["home"]
    busan = next(tile for tile in body["strip"] if tile["city"] == "부산")
    assert (busan["temperature"], busan["condition"]) == (home["current"]["temperature"], home["current"]["condition"])


async def test_a_failing_airkorea_is_named(gateway: DataGoKrServer, kma_source: Sources) -> None:
    """Issue 25: fine dust kept from before is told as AirKorea's failure, not 기상청's."""
    source = kma_source()
    await weather_overview(source, "서울", FRIDAY_AFTERNOON)
    await gateway.close()
    report = await source.report("서울", FRIDAY_AFTERNOON + timedelta(hours=3))
    assert report.air_stale is not None and report.air_stale.source == "airkorea"
    assert report.stale is not None and report.stale.source == "kma"
    notice = stale_notice(report.air_stale.reason, FRIDAY_AFTERNOON, "ko", report.air_stale.source)
    assert notice == "에어코리아에 연결할 수 없어서 14시 20분 기준 마지막 정보로 알려 드려요."
