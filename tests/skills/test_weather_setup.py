"""PUT /api/weather/setup: an owner chooses a city of the 20 and pastes a data.go.kr key; the key is tried
against the data.go.kr stand-in before it is kept (0600, never sent back, never in a log or the audit), and
the conversation, the page and the rules use it at once. A refused key keeps what was there."""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from weather_support import FRIDAY_AFTERNOON

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Role
from jibsa.hub import ManualClock
from jibsa.redaction import install_redaction
from jibsa.skills.weather import strip_cities
from jibsa.skills.weather.choice import CHOICE_FILE, clean_key
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

SEOUL = ZoneInfo("Asia/Seoul")
SETUP = "/api/weather/setup"


class Home:
    def __init__(self, running: RunningHome, owner: httpx.AsyncClient, member: httpx.AsyncClient) -> None:
        self.running, self.owner, self.member = running, owner, member

    async def say(self, text: str) -> str:
        reply: str = (await self.owner.post("/api/conversation", json={"text": text})).json()["reply"]
        return reply


async def _home(gateway: DataGoKrServer, data: Path, people: tuple[str, str] = ("mom", "kid")) -> AsyncIterator[Home]:
    """jibsa knowing only where data.go.kr is (the stand-in), with no key: what a new household has."""
    clock = ManualClock(FRIDAY_AFTERNOON.replace(tzinfo=SEOUL).timestamp())
    where = {"kma_base_url": gateway.kma_url, "airkorea_base_url": gateway.airkorea_url}
    settings = Settings(data_dir=data, adapter_settings={"weather": where})
    async with await open_home(settings, clock=clock, partner_skills=[]) as running:
        home_id = running.hub.home.id
        _, owner = await add_user_with_token(running.store, home_id, people[0], Role.OWNER)  # type: ignore[arg-type]
        _, member = await add_user_with_token(running.store, home_id, people[1], Role.MEMBER)  # type: ignore[arg-type]
        app = create_app(running, AuthSettings())
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://jibsa.test",
                headers={"Authorization": f"Bearer {token}"},
            )
            for token in (owner, member)
        ]
        async with clients[0], clients[1]:
            yield Home(running, *clients)


@pytest.fixture
async def home(gateway: DataGoKrServer, tmp_path: Path) -> AsyncIterator[Home]:
    async for made in _home(gateway, tmp_path):
        yield made


async def _audit(home: Home) -> list[dict[str, object]]:
    rows = (await home.owner.get("/api/audit")).json()
    return [row for row in rows if row["action"] == "weather_setup"]


async def test_a_new_household_sets_up_the_weather_and_it_answers_at_once(
    home: Home, gateway: DataGoKrServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction()
    caplog.set_level(logging.DEBUG)
    setup = (await home.owner.get(SETUP)).json()
    assert setup["key_set"] is False and setup["provider"] == ""
    assert [c["name"] for c in setup["cities"]] == list(strip_cities()) and setup["cities"][0]["name_en"] == "Seoul"
    assert setup["key_page"].startswith("https://www.data.go.kr/")
    assert "설정되어 있지 않아요" in await home.say("오늘 날씨 어때?")

    gateway.plan(98, 76, FRIDAY_AFTERNOON.date(), sky=4, pty=1, pop=90, low=9, high=14)
    answer = await home.owner.put(SETUP, json={"city": "부산", "service_key": f"  {SERVICE_KEY}\n"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["key_set"] is True and answer.json()["city"] == "부산"
    assert SERVICE_KEY not in answer.text and SERVICE_KEY not in (await home.owner.get(SETUP)).text

    assert "부산" in await home.say("오늘 날씨 어때?")  # no restart: the conversation asks the new source
    page = (await home.owner.get("/api/weather")).json()
    assert page["home"]["city"]["name"] == "부산" and page["home"]["days"][0]["high"] == 14
    assert home.running.rules is not None and home.running.rules.weather is not None  # rules read it too

    kept = tmp_path / CHOICE_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert json.loads(kept.read_text()) == {"provider": "kma", "city": "부산", "service_key": SERVICE_KEY}
    [row] = await _audit(home)
    assert row["ok"] is True and row["detail"] == {"city": "부산", "service_key": "new"}
    assert SERVICE_KEY not in (await home.owner.get("/api/audit")).text
    assert SERVICE_KEY not in caplog.text  # the requests to data.go.kr are logged with the key redacted


async def test_a_wrong_key_is_said_plainly_and_keeps_the_setting_before(home: Home, tmp_path: Path) -> None:
    assert (await home.owner.put(SETUP, json={"city": "서울", "service_key": SERVICE_KEY})).status_code == 200
    answer = await home.owner.put(SETUP, json={"city": "부산", "service_key": "not-a-registered-key"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"]["field"] == "service_key" and body["detail"]["reason"] == "key"
    assert body["detail"]["message"].startswith("data.go.kr가 이 서비스 키를 받아 주지 않았어요.")
    assert body["detail"]["message"].endswith("설정은 바뀌지 않았어요.")
    assert "not-a-registered-key" not in answer.text
    assert (await home.owner.get(SETUP)).json()["city"] == "서울"
    assert json.loads((tmp_path / CHOICE_FILE).read_text())["city"] == "서울"
    assert "서울" in await home.say("오늘 날씨 어때?")
    assert [row["ok"] for row in await _audit(home)] == [False, True]  # newest first


async def test_the_city_alone_keeps_the_key(home: Home) -> None:
    first = await home.owner.put(SETUP, json={"city": "서울"})
    assert first.status_code == 422 and first.json()["detail"]["message"] == "서비스 키를 넣어 주세요."
    assert (await home.owner.put(SETUP, json={"city": "서울", "service_key": SERVICE_KEY})).status_code == 200
    moved = await home.owner.put(SETUP, json={"city": "제주"})
    assert moved.status_code == 200 and moved.json()["city"] == "제주"
    assert (await _audit(home))[0]["detail"] == {"city": "제주", "service_key": "kept"}


async def test_a_service_that_does_not_answer_keeps_the_setting(home: Home, gateway: DataGoKrServer) -> None:
    await gateway.close()
    answer = await home.owner.put(SETUP, json={"city": "서울", "service_key": SERVICE_KEY})
    assert answer.status_code == 424  # a failed dependency: data.go.kr, not jibsa
    assert answer.json()["detail"]["message"].startswith("data.go.kr에 연결할 수 없어요.")
    assert (await home.owner.get(SETUP)).json()["key_set"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"city": "평양", "service_key": SERVICE_KEY},
        {"city": "세종", "service_key": SERVICE_KEY},  # known, but not one of the 20 to choose from
        {"city": "서울", "service_key": "k" * 513},
        {"city": "서울", "service_key": SERVICE_KEY, "provider": "open-meteo"},
        {"city": "", "service_key": SERVICE_KEY},
        {"city": ["서울"]},
    ],
)
async def test_odd_input_is_refused_and_changes_nothing(home: Home, body: dict[str, object], tmp_path: Path) -> None:
    answer = await home.owner.put(SETUP, json=body)
    assert answer.status_code == 422, answer.text
    assert not (tmp_path / CHOICE_FILE).exists()
    assert (await home.owner.get(SETUP)).json()["key_set"] is False


async def test_only_an_owner_may_see_or_change_it(home: Home, tmp_path: Path) -> None:
    assert (await home.member.get(SETUP)).status_code == 403
    assert (await home.member.put(SETUP, json={"city": "서울", "service_key": SERVICE_KEY})).status_code == 403
    nobody = await home.owner.put(SETUP, json={"city": "서울"}, headers={"Authorization": "Bearer wrong"})
    assert nobody.status_code == 401
    assert not (tmp_path / CHOICE_FILE).exists()
    refused = [row for row in (await home.owner.get("/api/audit")).json() if row["user"] == "kid"]
    assert refused and all(row["ok"] is False for row in refused)


async def test_the_choice_survives_a_restart(gateway: DataGoKrServer, tmp_path: Path) -> None:
    async for home in _home(gateway, tmp_path):
        assert (await home.owner.put(SETUP, json={"city": "광주", "service_key": SERVICE_KEY})).status_code == 200
    async for home in _home(gateway, tmp_path, ("dad", "baby")):
        setup = (await home.owner.get(SETUP)).json()
        assert (setup["city"], setup["key_set"], setup["provider"]) == ("광주", True, "kma")
        assert "광주" in await home.say("오늘 날씨 어때?")


def test_a_pasted_key_is_read_as_data_go_kr_means_it() -> None:
    assert clean_key(" abc%2Bdef%3D%3D \n") == "abc+def=="  # the "Encoding" form, decoded once
    assert clean_key("abc+def==") == "abc+def=="
