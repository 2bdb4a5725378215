"""English replies, questions and state lines name a device in English when the home file lets them: by its
alias in English letters ("the floor lamp"), else by its room's and its kind's ("the living room air
conditioner"), else by its name ("거실 천장등"). Korean replies say the name as ever."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from jibsa.domain import Command, Home, TargetResult
from jibsa.home_file import load_home, parse_home_text
from jibsa.nlu import Parser, describe_results
from jibsa.presentation.lines import turn_lines
from jibsa.words.replies import reply_text, understood_reply

SAMPLE = load_home(None).home
# Two lights in one room without English aliases: "the living room light" would not say which, so each keeps
# its name; a room with no alias in English letters gives no English name either.
HOME_TEXT = """
name: 테스트 집
rooms:
  - {id: living, name: 거실, aliases: [living room]}
  - {id: den, name: 골방}
devices:
  - {id: ceiling, name: 거실 천장등, room: living, type: light}
  - {id: corner, name: 거실 구석등, room: living, type: light}
  - {id: shelf, name: 거실 선반등, room: living, type: light}
  - {id: strip, name: 거실 간접등, room: living, type: light}
  - {id: ac, name: 거실 에어컨, room: living, type: air_conditioner}
  - {id: den_fan, name: 골방 선풍기, room: den, type: fan}
  - {id: lamp, name: 스탠드, aliases: [스탠드 조명, Hue Go], room: den, type: light}
"""
HOME = parse_home_text(HOME_TEXT, "test_home.yaml").home


def _done(home: Home, intent: str, ids: list[str], language: str, **params: Any) -> str:
    command = Command(intent=intent, targets=ids, params=params)
    return reply_text(describe_results(home, [command], [TargetResult(i, True) for i in ids]), language)


@pytest.mark.parametrize(
    ("ids", "english", "korean"),
    [
        (["ac"], "I turned on the living room air conditioner.", "거실 에어컨을 켰어요."),
        (["ceiling", "corner"], "I turned on 거실 천장등 and 거실 구석등.", "거실 천장등과 거실 구석등을 켰어요."),
        (["den_fan"], "I turned on 골방 선풍기.", "골방 선풍기를 켰어요."),
        (["lamp"], "I turned on Hue Go.", "스탠드를 켰어요."),  # a name in English letters takes no "the"
    ],
)
def test_a_device_is_named_in_english_when_the_home_lets_it(ids: list[str], english: str, korean: str) -> None:
    assert _done(HOME, "turn_on", ids, "en") == english
    assert _done(HOME, "turn_on", ids, "ko") == korean


def test_the_sample_homes_devices_read_in_english() -> None:
    """An alias in English letters ("floor lamp"), else the room's alias and the kind's page name."""
    assert _done(SAMPLE, "turn_off", ["living_stand", "living_ac"], "en") == (
        "I turned off the floor lamp and the living room air conditioner."
    )
    assert _done(SAMPLE, "turn_off", ["living_stand", "living_ac"], "ko") == "거실 스탠드와 거실 에어컨을 껐어요."


def test_answers_and_promises_name_the_device_and_the_room_in_english() -> None:
    every = ["ceiling", "corner", "shelf", "strip"]
    assert _done(HOME, "turn_on", every, "en") == "I turned on all the lights in the living room."
    assert _done(HOME, "turn_on", every, "ko") == "거실 불을 모두 켰어요."
    assert understood_reply(Parser(SAMPLE).parse("turn off the living room air conditioner")) == (
        "I'll turn off the living room air conditioner."
    )
    asked = Command(intent="query_state", targets=["living_ac"], params={"property": "mode"})
    result = TargetResult("living_ac", True, state={"mode": "dry", "power": True})
    answered = describe_results(SAMPLE, [asked], [result])
    assert reply_text(answered, "en") == "The living room air conditioner is in dry mode."
    assert reply_text(answered, "ko") == "거실 에어컨은 제습 모드예요."
    sensed = Command(intent="query_state", targets=["living_sensor"])
    reading = TargetResult("living_sensor", True, state={"temperature": 28})
    assert reply_text(describe_results(SAMPLE, [sensed], [reading]), "en") == "The living room: 28°."
    assert reply_text(describe_results(SAMPLE, [sensed], [reading]), "ko") == "거실은 28도예요."


def test_state_lines_name_the_device_in_english() -> None:
    """ "✓ living room air conditioner: dry mode": a line's head has no article; Korean is unchanged."""
    turn = {
        "reply": "…",
        "outcomes": [{"results": [{"target": "living_ac", "ok": True, "changes": {"mode": "dry"}}]}],
    }
    assert turn_lines(SAMPLE, turn, "en", UTC)[1:] == ["  ✓ living room air conditioner: dry mode"]
    assert turn_lines(SAMPLE, turn, "ko", UTC)[1:] == ["  ✓ 거실 에어컨: 모드 제습"]


def test_a_scheduled_scene_is_named_on_its_line() -> None:
    """ "Scheduled: run scene at 04:29" said which scene nowhere: the line names it, in English by `name_en`."""
    command = {"intent": "run_scene", "targets": [], "params": {"scene": "movie"}}
    turn = {"reply": "…", "outcomes": [{"command": command, "scheduled": {"id": "4bbbcb98ab", "due": 1_000_000_000.0}}]}
    assert turn_lines(SAMPLE, turn, "en", UTC)[1:] == ["  Scheduled: start movie mode at 01:46 (job 4bbbcb98)"]
    assert turn_lines(SAMPLE, turn, "ko", UTC)[1:] == ["  예약했어요: 영화 모드 실행 — 01:46 (예약 번호 4bbbcb98)"]
