"""The recycling skill's answers from a complex's schedule, and its manifest as jibsa reads it."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from jibsa_skill_recycling import create, recycling_day
from jibsa_skill_recycling.schedule import week

from jibsa.skills.partner import SkillRequest

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=SEOUL)
SCHEDULE = {"월": ["플라스틱", "비닐"], "wed": ["종이", "캔"], "금요일": ["유리병"], "매일": []}


async def _say(params: dict[str, str], language: str = "ko", now: datetime = MONDAY) -> str:
    context = SimpleNamespace(
        settings={"schedule": {k: v for k, v in SCHEDULE.items() if k != "매일"}, "complex": "한빛아파트"}
    )
    return await recycling_day(SkillRequest("recycling_day", params, language, now), context)  # type: ignore[arg-type]


async def test_today_and_tomorrow() -> None:
    assert await _say({}) == "오늘(월요일)은 한빛아파트 플라스틱, 비닐 버리는 날이에요."
    assert await _say({"day": "tomorrow"}) == (
        "내일(화요일)은 한빛아파트 분리수거 날이 아니에요. 다음은 수요일, 종이, 캔이에요."
    )
    assert await _say({}, "en") == "Today (Monday) at 한빛아파트 플라스틱, 비닐 go out."


async def test_asking_about_one_kind() -> None:
    assert await _say({"kind": "recycling", "day": "tomorrow"}) == (
        "아니요, 내일(화요일)은 재활용 버리는 날이 아니에요. 월요일, 수요일, 금요일에 버려요."
    )
    assert await _say({"kind": "종이"}, now=MONDAY.replace(day=25)) == "네, 오늘(수요일)은 종이 버리는 날이에요."
    assert await _say({"kind": "스티로폼"}) == "한빛아파트 분리수거 일정에 스티로폼 항목이 없어요."


def test_weekday_keys_in_either_language() -> None:
    days = week({"월": "플라스틱", "wed": ["종이"], "Friday": ["유리병"]})
    assert days[0] == ["플라스틱"] and days[2] == ["종이"] and days[4] == ["유리병"]
    with pytest.raises(ValueError, match="매일"):
        week({"매일": ["음식물"]})


def test_the_manifest_asks_for_nothing_it_does_not_need() -> None:
    skill = create()
    assert skill.manifest.name == "recycling" and set(skill.handlers) == set(skill.manifest.intents)
    permissions = skill.manifest.permissions
    assert not permissions.read_states and not permissions.command and not permissions.hosts
    assert skill.manifest.required_settings() == ("schedule",)
