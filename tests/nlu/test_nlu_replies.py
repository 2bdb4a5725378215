"""Replies in natural Korean: particles by the final sound, numbers and units, results and answers."""

from __future__ import annotations

from typing import Any

import pytest

from jibsa.domain import Command, ErrorCode, Home, TargetResult
from jibsa.domain.korean import clock_text, duration_text, josa
from jibsa.home_file import load_home
from jibsa.nlu import Parser, describe_results
from jibsa.nlu.numbers import parse_number
from jibsa.nlu.timing import find_timing, parse_duration
from jibsa.words.replies import reply_text, understood_reply

HOME = load_home(None).home


def described(home: Home, commands: list[Command], results: list[Any], language: str = "ko") -> str:
    """The report after acting, worded (the nlu hands out its facts; the words package words them)."""
    return reply_text(describe_results(home, commands, results), language)


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [("거실 조명", "을", "거실 조명을"), ("에어컨", "을", "에어컨을"), ("TV", "을", "TV를"),
     ("보일러", "이", "보일러가"), ("세탁기", "가", "세탁기가"), ("현관문", "는", "현관문은"), ("거실", "와", "거실과"),
     ("스탠드", "과", "스탠드와"),
     ("서울", "으로", "서울로"), ("24도", "으로", "24도로"), ("3", "로", "3으로"), ("7", "으로", "7로"),
     ("50%", "으로", "50%로"), ("안방", "로", "안방으로"), ("LG", "이", "LG가"), ("Hue", "를", "Hue를")],
)  # fmt: skip
def test_josa(word: str, particle: str, expected: str) -> None:
    assert josa(word, particle) == expected


@pytest.mark.parametrize(
    ("word", "value"),
    [("25", 25), ("이십오", 25), ("스물다섯", 25), ("이십삼", 23), ("열두", 12), ("백", 100), ("한", 1), ("서른", 30)],
)
def test_numbers(word: str, value: float) -> None:
    assert parse_number(word) == value


def test_durations_and_clock_times() -> None:
    assert parse_duration("3분 30초") == 210
    assert parse_duration("한 시간 반") == 5400
    assert find_timing("저녁 9시에 켜줘").params == {"at": "21:00"}
    assert find_timing("6시 반에").params == {"at": "06:30"}
    assert find_timing("매일 아침 7시").params == {"at": "07:00", "repeat": "daily"}
    assert find_timing("30분 뒤에 꺼").params == {"delay_s": 1800}
    assert duration_text(5400) == "1시간 30분"
    assert clock_text("21:00") == "저녁 9시"


def test_promise_reply_matches_the_contract_example() -> None:
    parsed = Parser(HOME).parse("거실 불 꺼줘")
    assert understood_reply(parsed) == "거실 천장등과 거실 스탠드를 끌게요."
    assert not parsed.needs_confirmation


def test_unlocking_needs_confirmation_and_not_found_is_said() -> None:
    parser = Parser(HOME)
    assert parser.parse("현관문 열어줘").needs_confirmation
    parsed = parser.parse("안방 TV 꺼줘")
    assert parsed.commands == ()
    assert parsed.not_found == ("안방 TV",)
    assert "안방 TV를 찾지 못했어요" in understood_reply(parsed)


def test_reply_after_acting_names_clamps_and_failures() -> None:
    set_ac = Command("set", ("living_ac",), {"property": "temperature", "value": 35})
    text = described(HOME, [set_ac], [[TargetResult("living_ac", True, changes={"temperature": 30})]], "ko")
    assert text == "거실 에어컨의 온도를 30도로 맞췄어요. (최고 온도가 30도예요)"
    failed = described(
        HOME, [Command("turn_on", ("master_ac",))], [[TargetResult("master_ac", False, ErrorCode.NOT_ANSWERING)]], "ko"
    )
    assert failed == "안방 에어컨이 응답하지 않아요."


def test_answers_to_questions() -> None:
    washer = described(
        HOME,
        [Command("query_state", ("washer",), {"property": "remaining_time"})],
        [TargetResult("washer", True, state={"remaining_time": 1500, "run_state": "running"})],
    )
    assert washer == "세탁이 25분 뒤에 끝나요."
    door = described(
        HOME, [Command("query_state", ("front_door",))], [TargetResult("front_door", True, state={"lock": "locked"})]
    )
    assert door == "현관문은 잠겨 있어요."
    sensor = described(
        HOME,
        [Command("query_state", ("living_sensor",))],
        [TargetResult("living_sensor", True, state={"temperature": 26.5, "humidity": 48})],
    )
    assert sensor == "거실은 26.5도, 습도 48%예요."


def test_flat_results_are_shared_out_by_command() -> None:
    commands = [
        Command("turn_on", ("living_ac",)),
        Command("set", ("living_ac",), {"property": "temperature", "value": 24}),
    ]
    results = [TargetResult("living_ac", True), TargetResult("living_ac", True, changes={"temperature": 24})]
    assert described(HOME, commands, results) == "거실 에어컨을 켰어요. 거실 에어컨의 온도를 24도로 맞췄어요."


LIGHTS = [d.id for d in HOME.devices if d.type.value == "light"]


def test_many_devices_of_one_kind_are_named_by_kind() -> None:
    off = Command("turn_off", tuple(LIGHTS))
    results = [TargetResult(i, True) for i in LIGHTS]
    assert described(HOME, [off], results) == "불을 모두 껐어요."
    assert understood_reply(Parser(HOME).parse("불 다 꺼")) == "불을 모두 끌게요."
    dim = Command("set", tuple(LIGHTS), {"property": "brightness", "value": 30})
    assert described(HOME, [dim], results) == "모든 불의 밝기를 30%로 맞췄어요."
    some = Command("turn_off", tuple(LIGHTS[:5]))
    assert described(HOME, [some], results[:5]) == "불 5개를 껐어요."


def test_a_scene_says_it_ran() -> None:
    scene = Command("run_scene", (), {"scene": "sleep"})
    results = [TargetResult("living_ceiling", True), TargetResult("master_light", True)]
    assert described(HOME, [scene], results) == "취침 모드를 실행했어요."


def test_english_replies_say_what_was_done() -> None:
    off = Command("turn_off", ("living_tv",))
    assert described(HOME, [off], [TargetResult("living_tv", True)], "en") == "I turned off the living room TV."


def test_unlocking_is_asked_first() -> None:
    parsed = Parser(HOME).parse("현관문 열어줘")
    assert parsed.needs_confirmation and understood_reply(parsed) == "현관문을 열까요?"
    assert understood_reply(Parser(HOME).parse("unlock the front door")) == "Shall I unlock the front door?"


@pytest.mark.parametrize(
    ("text", "reply"),
    [("고마워", "천만에요. 언제든 불러 주세요."), ("안녕", "안녕하세요! 무엇을 도와 드릴까요?"),
     ("ㅋㅋㅋ", "즐거우시다니 저도 좋아요."), ("thanks", "You're welcome. Call me any time.")],
)  # fmt: skip
def test_small_talk_gets_a_short_friendly_answer(text: str, reply: str) -> None:
    parsed = Parser(HOME).parse(text)
    assert parsed.commands == () and understood_reply(parsed) == reply


@pytest.mark.parametrize(
    ("text", "intent"),
    [("예약 뭐 있어?", "list_jobs"), ("예약된 거 알려줘", "list_jobs"), ("지금 집 상태 어때?", "query_home"),
     ("how is the house", "query_home")],
)  # fmt: skip
def test_schedules_and_the_home_are_asked_about(text: str, intent: str) -> None:
    assert [c.intent for c in Parser(HOME).parse(text).commands] == [intent]


def test_scheduling_with_the_word_for_it_still_schedules() -> None:
    commands = Parser(HOME).parse("저녁 7시에 거실 불 켜게 예약해줘").commands
    assert [(c.intent, c.params.get("at")) for c in commands] == [("turn_on", "19:00")]


@pytest.mark.parametrize(("text", "state", "said"), [
    ("what is left on the washer", {"run_state": "running", "remaining_time": 1500},
     "The washer will finish in 25 minutes."),
    ("what is left on the washer", {"run_state": "idle", "remaining_time": 0}, "The washing machine is not running."),
    ("is the front door locked", {"lock": "locked"}, "The front door is locked."),
    ("is the living room curtain open", {"position": 0}, "The living room curtain is closed."),
])  # fmt: skip
def test_english_questions_are_answered_in_english(text: str, state: dict[str, object], said: str) -> None:
    from jibsa.domain import TargetResult

    home = load_home(None).home
    command = Parser(home).parse(text).commands[0]
    results = [TargetResult(t, True, state=state) for t in command.targets]
    assert described(home, [command], results, "en") == said


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("펜트하우스 에어컨 켜 줘", "'펜트하우스'가 뭔지 모르겠어요."),  # a vowel: 가
        ("스팀다리미 물통 꺼 줘", "'스팀다리미 물통'이 뭔지 모르겠어요."),  # a final consonant: 이
        ("욕조 틀어 줘", "'욕조'가 뭔지 모르겠어요."),  # a bathtub is not the bathroom
        ("turn on the penthouse lights", "I don't know what 'penthouse' is."),
    ],
)
def test_a_word_not_known_is_asked_about_by_its_own_sound(text: str, reply: str) -> None:
    parsed = Parser(HOME).parse(text)
    assert parsed.commands == ()
    assert understood_reply(parsed) == reply


def test_a_kind_the_home_lacks_is_said_not_found_not_asked_about() -> None:
    parsed = Parser(HOME).parse("제습기 켜 줘")
    assert parsed.commands == () and understood_reply(parsed) == "제습기를 찾지 못했어요."
