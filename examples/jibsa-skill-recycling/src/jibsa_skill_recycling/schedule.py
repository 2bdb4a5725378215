"""recycling_day: "오늘 무슨 쓰레기 버리는 날이야?", "내일 재활용 버리는 날이야?"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain.korean import josa
from jibsa.skills.partner import SkillContext, SkillRequest

WEEKDAY_KEYS = (("월", "mon", "monday"), ("화", "tue", "tuesday"), ("수", "wed", "wednesday"),
                ("목", "thu", "thursday"), ("금", "fri", "friday"), ("토", "sat", "saturday"),
                ("일", "sun", "sunday"))  # fmt: skip
NOT_RECYCLING = frozenset({"음식물", "일반"})


@cache
def _replies() -> dict[str, Any]:
    text = resources.files("jibsa_skill_recycling").joinpath("replies.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def check_settings(settings: Mapping[str, Any]) -> None:
    """ValueError saying what is wrong with the settings (jibsa runs it when the home starts)."""
    schedule = settings.get("schedule")
    if not isinstance(schedule, Mapping) or not schedule:
        raise ValueError("schedule: a mapping of weekdays (월…일 or mon…sun) to what goes out")
    week(schedule)


def week(schedule: Mapping[str, Any]) -> list[list[str]]:
    """What goes out on each weekday, Monday first; keys 월…일 or mon…sun (any case)."""
    days: list[list[str]] = [[] for _ in range(7)]
    for key, items in schedule.items():
        index = next(
            (i for i, names in enumerate(WEEKDAY_KEYS) if str(key).lower().removesuffix("요일") in names), None
        )
        if index is None:
            raise ValueError(f"schedule: '{key}' is not a weekday")
        days[index] += [str(i) for i in (items if isinstance(items, list) else [items])]
    return days


async def recycling_day(request: SkillRequest, jibsa: SkillContext) -> str:
    words = _replies()["en" if request.language == "en" else "ko"]
    days = week(jibsa.settings["schedule"])
    offset = 1 if request.params.get("day") == "tomorrow" else 0
    date = request.now.date() + timedelta(days=offset)
    weekday = date.weekday()
    complex_name = str(jibsa.settings.get("complex") or "")
    day_word = words["days"]["tomorrow" if offset else "today"]
    fields = {
        "day": day_word,
        "day_cap": day_word.capitalize(),
        "weekday": words["weekdays"][weekday],
        "complex": _complex(complex_name, request.language),
    }
    kind = request.params.get("kind")
    if kind:
        return _about_kind(str(kind), days, weekday, words, fields)
    if days[weekday]:
        return str(words["items"]).format(items=", ".join(days[weekday]), **fields)
    ahead = next(((weekday + step) % 7 for step in range(1, 8) if days[(weekday + step) % 7]), weekday)
    items = ", ".join(days[ahead])
    said = items if request.language == "en" else josa(items, "이에요")  # 종이, 캔이에요 / 플라스틱, 비닐이에요
    return str(words["nothing"]).format(next_weekday=words["weekdays"][ahead], next_items=said, **fields)


def _complex(name: str, language: str) -> str:
    if not name:
        return ""
    return f"at {name} " if language == "en" else f"{name} "


def _about_kind(
    kind: str, days: list[list[str]], weekday: int, words: Mapping[str, Any], fields: dict[str, str]
) -> str:
    def has(items: list[str]) -> bool:
        return any(i not in NOT_RECYCLING for i in items) if kind == "recycling" else kind in items

    said = str(words["recycling"]) if kind == "recycling" else kind
    on = [str(words["weekdays"][i]) for i in range(7) if has(days[i])]
    if not on:
        return str(words["kind_never"]).format(kind=said, **fields)
    key = "kind_yes" if has(days[weekday]) else "kind_no"
    return str(words[key]).format(kind=said, kind_days=", ".join(on), **fields)
