"""The parser and the report hand out facts, never sentences: `Said`s whose keys are in the catalogue and whose
fields name devices, properties and values as facts, so one reply reads in either language. And the sentences
read as a Korean speaker says them: the particle by the sound of the word before it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from jibsa.domain import Command, ErrorCode, TargetResult
from jibsa.domain.asked_state import ASKED_STATES
from jibsa.domain.said import Said
from jibsa.home_file import load_home
from jibsa.nlu import Parser, describe_results
from jibsa.nlu.lexicon import load_lexicon
from jibsa.nlu.replies import ASKED, PROMISED, promise
from jibsa.nlu.reports import DONE
from jibsa.words import LANGUAGES, catalogue
from jibsa.words.replies import reply_text, understood_reply

HOME = load_home(None).home


def _said(commands: list[Command], results: list[TargetResult], language: str = "ko") -> str:
    return reply_text(describe_results(HOME, commands, results), language)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_intents_the_nlu_promises_are_the_catalogues(lang: str) -> None:
    reply = catalogue(lang)["reply"]
    said = PROMISED - {"adjust"} | {"adjust_up", "adjust_down", "set_timer_bare"}
    said |= {"get_weather_day", "get_weather_in", "get_weather_in_day", "close_valve", "set_mode"}
    said |= {f"query_state_{state}" for state in ASKED_STATES}
    assert set(reply["promise"]) == said
    assert set(reply["ask"]) == ASKED - {"adjust"} | {"adjust_up", "adjust_down", "close_valve", "set_mode"}
    assert set(reply["done"]) == DONE | {"ok", "close_valve", "set_mode"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_small_talk_the_lexicon_hears_has_an_answer(lang: str) -> None:
    lexicon = load_lexicon()
    heard = set(lexicon.groups("smalltalk")) | set(lexicon.groups("greetings"))
    assert sorted(heard - set(catalogue(lang)["reply"]["smalltalk"])) == []


def test_a_reply_is_facts_that_read_in_either_language() -> None:
    understood = Parser(HOME).parse("거실 불 꺼줘")
    assert all(isinstance(s, Said) and s.key.startswith("reply.") for s in understood.said)
    assert understood_reply(understood) == "거실 천장등과 거실 스탠드를 끌게요."
    assert reply_text(understood.said, "en") == "I'll turn off the ceiling light and the floor lamp."
    timed = Parser(HOME).parse("turn off the tv in 30 minutes")
    assert understood_reply(timed) == "In 30 minutes, I'll turn off the living room TV."
    assert reply_text(timed.said, "ko") == "30분 뒤에 거실 TV를 끌게요."


def test_a_timer_is_said_in_the_language_asked() -> None:
    said = promise(HOME, [Command("set_timer", (), {"duration_s": 300})])
    assert [reply_text(said, lang) for lang in LANGUAGES] == [
        "5분 타이머를 맞출게요.",
        "I'll set a timer for 5 minutes.",
    ]
    assert reply_text(promise(HOME, [Command("set_timer", ())]), "ko") == "타이머를 맞출게요."


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (ErrorCode.DEVICE_ERROR, "거실 에어컨에 오류가 났어요."),  # 에: never "에어컨이 오류가 났어요"
        (ErrorCode.BAD_VALUE, "거실 에어컨은 그 값으로 맞출 수 없어요."),
        (ErrorCode.READ_ONLY_PROPERTY, "거실 에어컨의 그 값은 바꿀 수 없어요."),
        (ErrorCode.NOT_ANSWERING, "거실 에어컨이 응답하지 않아요."),
        (ErrorCode.UNSUPPORTED_INTENT, "거실 에어컨에는 그 기능이 없어요."),
        (ErrorCode.NOT_ALLOWED, "거실 에어컨을 조작할 권한이 없어요."),
    ],
)
def test_a_failure_is_said_in_plain_korean(code: ErrorCode, said: str) -> None:
    assert _said([Command("turn_on", ("living_ac",))], [TargetResult("living_ac", False, code)]) == said


def test_devices_that_failed_alike_are_said_once() -> None:
    lights = [d.id for d in HOME.devices if d.type.value == "light"]
    failed = [TargetResult(i, False, ErrorCode.NOT_ANSWERING) for i in lights]
    assert _said([Command("turn_on", tuple(lights))], failed) == "불이 모두 응답하지 않아요."
    two = [TargetResult("living_ac", False, ErrorCode.NOT_ANSWERING), TargetResult("living_tv", False)]
    assert _said([Command("turn_on", ("living_ac", "living_tv"))], two) == (
        "거실 에어컨이 응답하지 않아요. 거실 TV에 오류가 났어요."
    )


def test_an_adapters_own_words_say_why_in_either_language() -> None:
    why = Said("thinq.power_off", {"name": "거실 에어컨"})
    result = TargetResult("living_ac", False, ErrorCode.DEVICE_ERROR, said=why)
    command = Command("set", ("living_ac",), {"property": "temperature", "value": 24})
    assert _said([command], [result]) == "거실 에어컨이 꺼져 있어서 그 명령을 할 수 없어요."
    assert _said([command], [result], "en") == reply_text([why], "en")


@pytest.mark.parametrize(
    ("prop", "asked", "applied", "said"),
    [
        ("channel", 900, 5, "거실 TV의 채널을 5번으로 맞췄어요. (최고 채널이 5번이에요)"),  # 번이에요, never 번예요
        ("volume", 200, 8, "거실 TV의 볼륨을 8로 맞췄어요. (최고 볼륨이 8이에요)"),  # 팔: 8이에요
        ("volume", -3, 0, "거실 TV의 볼륨을 0으로 맞췄어요. (최저 볼륨이 0이에요)"),
    ],
)
def test_a_clamped_value_takes_the_particle_of_its_sound(prop: str, asked: int, applied: int, said: str) -> None:
    command = Command("set", ("living_tv",), {"property": prop, "value": asked})
    assert _said([command], [TargetResult("living_tv", True, changes={prop: applied})]) == said


def test_a_state_with_no_reading_says_so() -> None:
    command = Command("query_state", ("living_tv",))
    assert _said([command], [TargetResult("living_tv", True, state={})]) == "거실 TV는 아직 값이 없어요."
    assert _said([command], [TargetResult("living_tv", True, state={})], "en") == "The living room TV: no reading yet."


def test_a_state_with_neither_power_nor_position_is_said_reading_by_reading() -> None:
    command = Command("query_state", ("living_tv",))
    state = {"mode": "cool", "temperature": 24, "brightness": 50}
    assert (
        _said([command], [TargetResult("living_tv", True, state=state)]) == "거실 TV는 24도, 냉방 모드, 밝기 50%예요."
    )
    english = _said([command], [TargetResult("living_tv", True, state=state)], "en")
    assert english == "The living room TV: 24°, cooling mode, brightness 50%."


def _set_mode(mode: str, before: str) -> tuple[Command, TargetResult]:
    command = Command("set", ("living_ac",), {"property": "mode", "value": mode})
    return command, TargetResult("living_ac", True, changes={"mode": mode} if mode != before else {})


@pytest.mark.parametrize(
    ("said", "korean", "english"),
    [
        (
            lambda: promise(HOME, [_set_mode("dry", "cool")[0]]),
            "거실 에어컨을 제습 모드로 맞출게요.",
            "I'll set the living room air conditioner to dry mode.",
        ),
        (
            lambda: describe_results(HOME, *map(list, zip(_set_mode("dry", "cool"), strict=True))),
            "거실 에어컨을 제습 모드로 맞췄어요.",
            "I set the living room air conditioner to dry mode.",
        ),
        (
            lambda: describe_results(HOME, [Command("query_state", ("living_ac",), {"property": "mode"})],
                                     [TargetResult("living_ac", True, state={"power": True, "mode": "cool"})]),
            "거실 에어컨은 냉방 모드예요.",
            "The living room air conditioner is in cooling mode.",
        ),
    ],
)  # fmt: skip
def test_a_mode_is_said_once(said: Any, korean: str, english: str) -> None:
    """A mode's value says the word itself ("냉방 모드"): never "…의 모드를 냉방 모드로", "mode … cooling mode"."""
    assert [reply_text(said(), "ko"), reply_text(said(), "en")] == [korean, english]


def test_the_mode_already_set_is_said_once() -> None:
    command = Command("set", ("living_ac",), {"property": "mode", "value": "cool"})
    result = TargetResult("living_ac", True, state={"power": True, "mode": "cool"})
    assert _said([command], [result]) == "거실 에어컨은 이미 냉방 모드예요."
    assert _said([command], [result], "en") == "The living room air conditioner is already in cooling mode."
    other = Command("set", ("living_ac",), {"property": "temperature", "value": 24})  # other properties keep theirs
    assert _said([other], [TargetResult("living_ac", True, changes={"temperature": 24})]) == (
        "거실 에어컨의 온도를 24도로 맞췄어요."
    )


def test_which_one_names_the_kind_and_the_rooms_in_either_language() -> None:
    """ "Which one: the air conditioner in the living room or …": the kind from the catalogue, the rooms by their
    English names where the home gives them (the sample home's aliases), as they are where it does not."""
    understood = Parser(HOME).parse("에어컨 켜줘")
    assert understood_reply(understood) == "거실 에어컨이요, 안방 에어컨이요?"
    assert reply_text(understood.said, "en") == (
        "Which one: the air conditioner in the living room or the air conditioner in the master bedroom?"
    )
    no_english = replace(HOME, rooms=tuple(replace(room, aliases=()) for room in HOME.rooms))
    assert reply_text(Parser(no_english).parse("에어컨 켜줘").said, "en") == (
        "Which one: the air conditioner in 거실 or the air conditioner in 안방?"
    )


def test_a_robot_vacuums_state_is_said_in_words() -> None:
    """A docked robot vacuum and the draw any device reports (power_w), in words and with the unit: never
    "상태 docked, power w 3"."""
    command = Command("query_state", ("robot_vacuum",))
    state = {"battery": 100, "run_state": "docked", "power_w": 3}
    result = TargetResult("robot_vacuum", True, state=state)
    assert _said([command], [result]) == "로봇청소기는 배터리 100%, 상태 충전 중, 소비 전력 3W예요."
    assert _said([command], [result], "en") == "The robot vacuum: battery 100%, state docked, power draw 3 W."


@pytest.mark.parametrize(
    ("door", "korean", "english"), [(False, "문 닫힘", "door closed"), (True, "문 열림", "door open")]
)
def test_a_fridge_door_reads_open_or_closed(door: bool, korean: str, english: str) -> None:
    command = Command("query_state", ("refrigerator",))
    result = TargetResult("refrigerator", True, state={"temperature": 3, "door": door})
    assert _said([command], [result]) == f"냉장고는 3도, {korean}이에요."
    assert _said([command], [result], "en") == f"The fridge: 3°, {english}."
