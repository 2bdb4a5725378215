"""What people ask about the weather, through the conversation, against the data.go.kr stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from weather_support import FRIDAY_AFTERNOON

from jibsa.app import RunningHome, Settings, open_home
from jibsa.hub import ManualClock
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

SEOUL = ZoneInfo("Asia/Seoul")
TODAY = FRIDAY_AFTERNOON.date()


@pytest.fixture
async def home(gateway: DataGoKrServer, tmp_path: Path) -> AsyncIterator[RunningHome]:
    gateway.plan(98, 76, TODAY + timedelta(days=1), sky=4, pty=1, pop=80, low=11, high=15)  # Busan, tomorrow
    gateway.plan(60, 127, TODAY, sky=1, pop=10, low=2, high=11, humidity=45)  # Seoul, today
    gateway.plan(53, 38, TODAY, sky=1, pop=10, low=9, high=18)  # Jeju, today
    gateway.plan(60, 127, TODAY + timedelta(days=1), sky=3, pop=30, low=1, high=9)  # Saturday
    gateway.plan(60, 127, TODAY + timedelta(days=2), sky=4, pty=3, pop=70, low=-2, high=4)  # Sunday: snow
    weather = {
        "provider": "kma",
        "service_key": SERVICE_KEY,
        "city": "서울",
        "kma_base_url": gateway.kma_url,
        "airkorea_base_url": gateway.airkorea_url,
    }
    clock = ManualClock(FRIDAY_AFTERNOON.replace(tzinfo=SEOUL).timestamp())
    running = await open_home(
        Settings(data_dir=tmp_path, adapter_settings={"weather": weather}), clock=clock, partner_skills=[]
    )
    yield running
    await running.close()


@pytest.mark.parametrize(("text", "reply"), [
    ("날씨 어때?", "지금 서울은 맑고 9도예요. 오늘 서울은 맑고 최고 11도, 최저 2도예요. 비 올 확률은 10%예요."),
    ("내일 부산 비 와?", "내일 부산에는 비 소식이 있어요. 비 올 확률이 80%예요."),
    ("우산 챙겨야 해?", "우산은 필요 없겠어요. 오늘 서울에 비 올 확률은 10%예요."),
    ("미세먼지 어때?",
     "서울 미세먼지는 보통(42㎍/㎥), 초미세먼지는 보통(18㎍/㎥)이에요. (중구, 2026-11-27 14:00 측정)"),
    ("이번 주말 날씨 어때?", "이번 주말 서울은 토요일은 구름이 많고 1~9도(비 올 확률 30%), "
                          "일요일은 눈이 오고 -2~4도(비 올 확률 70%)예요."),
    ("빨래 널어도 돼?", "빨래 널기 좋은 날이에요. 비 올 확률 10%, 습도 45%예요."),
    ("Will it rain in Busan tomorrow?", "Yes, rain is expected in Busan tomorrow: 80% chance of rain."),
    ("Do I need an umbrella?", "No umbrella needed: 10% chance of rain in Seoul today."),
    ("How is the air quality?",
     "Fine dust in Seoul: PM10 moderate (42 µg/m³), PM2.5 moderate (18 µg/m³), measured at 중구, 2026-11-27 14:00."),
    ("What's the weather like this weekend?",
     "This weekend in Seoul: Saturday mostly cloudy, 1–9°C (30% rain), Sunday snow, -2–4°C (70% rain)."),
    ("Can I hang the laundry outside?", "A good day for laundry: 10% chance of rain, 45% humidity."),
    ("What's the weather like in Jeju?",
     "It's clear and 16°C in Jeju now. Today in Jeju: clear, high 18°C, low 9°C. Chance of rain 10%."),
])  # fmt: skip
async def test_questions_get_natural_answers(home: RunningHome, text: str, reply: str) -> None:
    turn = await home.conversation.handle(text)
    assert turn.reply == reply


async def test_a_failing_service_says_so_and_gives_the_last_values(home: RunningHome, gateway: DataGoKrServer) -> None:
    await home.conversation.handle("날씨 어때?")
    gateway.expired_keys.add(SERVICE_KEY)
    gateway.keys.discard(SERVICE_KEY)
    await home.hub.clock.advance(3 * 3600)  # type: ignore[attr-defined]
    turn = await home.conversation.handle("우산 챙겨야 해?")
    assert turn.reply.startswith("기상청 서비스 키가 등록되지 않았거나 만료되었어요. 14시 00분 기준 마지막 정보로")
    assert turn.reply.endswith("오늘 서울에 비 올 확률은 10%예요.")


async def test_no_values_at_all_is_a_plain_korean_failure(gateway: DataGoKrServer, tmp_path: Path) -> None:
    weather = {
        "provider": "kma",
        "service_key": "unregistered",
        "kma_base_url": gateway.kma_url,
        "airkorea_base_url": gateway.airkorea_url,
    }
    clock = ManualClock(FRIDAY_AFTERNOON.replace(tzinfo=SEOUL).timestamp())
    async with await open_home(
        Settings(data_dir=tmp_path, adapter_settings={"weather": weather}), clock=clock, partner_skills=[]
    ) as running:
        turn = await running.conversation.handle("내일 부산 비 와?")
    assert turn.reply == (
        "기상청 서비스 키가 등록되지 않았거나 만료되었어요. 집 화면의 날씨 설정에서 키를 확인해 주세요."
    )
