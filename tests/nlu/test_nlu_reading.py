"""Issue 18 §2–§4b on the sample home: each sentence of the issue, what it must give (and what it must not)."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_scoring import REPO

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.nlu.parser import Understanding
from jibsa.words.replies import understood_note, understood_reply

SAMPLE = load_home(REPO / "src" / "jibsa" / "data" / "sample_home.yaml").home


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(SAMPLE)


def _commands(understood: Understanding) -> list[tuple[str, list[str], dict[str, Any]]]:
    return [(c["intent"], sorted(c["targets"]), c["params"]) for c in understood.to_json()["commands"]]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("블라인드 오픈", [("open", ["master_blind"], {})]),
        ("식세기 스타트", [("start", ["dishwasher"], {})]),
        ("안방 라이트 오프", [("turn_off", ["master_light"], {})]),
        ("청정기 온 해줘", [("turn_on", ["living_purifier"], {})]),
        ("스피커 볼륨 업", [("adjust", ["kids_speaker"], {"property": "volume", "direction": "up"})]),
        ("보일러 온도 업", [("adjust", ["boiler"], {"property": "temperature", "direction": "up"})]),
        ("거실 TV 파워 온", [("turn_on", ["living_tv"], {})]),
        ("거실 에어컨 턴 오프", [("turn_off", ["living_ac"], {})]),
        ("거실 커튼 클로즈", [("close", ["living_curtain"], {})]),
        ("세탁기 스톱", [("stop", ["washer"], {})]),
        ("TV 채널 다운", [("adjust", ["living_tv"], {"property": "channel", "direction": "down"})]),
        ("거실 TV 오프 시켜 줘", [("turn_off", ["living_tv"], {})]),
        ("세탁기 정지시켜 줘", [("stop", ["washer"], {})]),
        ("안방 조명 브라이트니스 업", [("adjust", ["master_light"], {"property": "brightness", "direction": "up"})]),
    ],
)
def test_konglish_verbs(parser: Parser, text: str, want: list[tuple[str, list[str], dict[str, Any]]]) -> None:
    assert _commands(parser.parse(text)) == want


@pytest.mark.parametrize("text", ["다녀온 거 알지", "작업 끝났어?"])
def test_konglish_words_hold_only_where_a_word_starts(parser: Parser, text: str) -> None:
    """온 inside 다녀온 and 업 inside 작업 are no verbs."""
    assert not [c for c in _commands(parser.parse(text)) if c[0] in ("turn_on", "adjust")]


@pytest.mark.parametrize(
    ("text", "want", "note"),
    [
        ("거실 블 켜줘", [("turn_on", ["living_ceiling", "living_stand"], {})], "'블'을 '불'로 알아들었어요."),
        ("거실 풀 켜 봐", [("turn_on", ["living_ceiling", "living_stand"], {})], "'풀'을 '불'로 알아들었어요."),
        ("작은방 스피거 켜", [("turn_on", ["kids_speaker"], {})], "'스피거'를 '스피커'로 알아들었어요."),
        ("거싷 불 켜저", [("turn_on", ["living_ceiling", "living_stand"], {})], "'거싷'을 '거실'로 알아들었어요."),
        ("거시 TV 좀 켜삼", [("turn_on", ["living_tv"], {})], "'거시'를 '거실'로 알아들었어요."),
    ],
)
def test_a_one_letter_slip_is_read_as_the_one_word_it_is_near_and_said(
    parser: Parser, text: str, want: list[tuple[str, list[str], dict[str, Any]]], note: str
) -> None:
    understood = parser.parse(text)
    assert _commands(understood) == want
    assert understood_note(understood) == note
    assert understood_reply(understood).startswith(note)
    assert "보일러" not in understood_reply(understood)


@pytest.mark.parametrize("text", ["거실 꿿 켜줘", "거실 스팀다리미 꺼줘", "안방 뷁 꺼"])
def test_a_word_not_understood_never_widens(parser: Parser, text: str) -> None:
    assert parser.parse(text).commands == ()


def test_a_slip_near_several_words_is_asked_not_done(parser: Parser) -> None:
    """'당' is one letter from 등 and from 창: the reading that makes sense is asked about, not done."""
    understood = parser.parse("거실 당 켜줘")
    assert understood.needs_confirmation
    assert understood_reply(understood) == "'당'이 뭔지 모르겠어요. 거실 천장등과 거실 스탠드를 켤까요?"


def test_an_absent_kind_is_said_to_be_absent(parser: Parser) -> None:
    understood = parser.parse("제습기 온")
    assert understood.commands == ()
    assert understood.not_found == ("제습기",)
    assert "에어컨" not in understood_reply(understood)


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        ("다녀올게", "away"),
        ("다녀올게요", "away"),
        ("다녀오겠습니다", "away"),
        ("잘 자", "sleep"),
        ("잘게", "sleep"),
        ("잘 자요", "sleep"),
        ("안녕히 주무세요", "sleep"),
        ("다녀왔어", "home"),
        ("다녀왔습니다", "home"),
        ("나 왔다", "home"),
        ("good night", "sleep"),
    ],
)
def test_the_homes_greetings_run_its_scenes_before_small_talk(parser: Parser, text: str, scene: str) -> None:
    assert _commands(parser.parse(text)) == [("run_scene", [], {"scene": scene})]


@pytest.mark.parametrize(
    "text",
    [
        "좋은 아침이야",
        "고마워",
        "오늘 기분 어때?",
        "오늘 뭐 먹지?",
        "어제 에어컨 고장 났었어",
        "에어컨 바람 시원하다 좋다",
        "엄마 집에 왔어?",
    ],
)
def test_small_talk_and_questions_run_nothing(parser: Parser, text: str) -> None:
    assert parser.parse(text).commands == ()


def test_a_word_not_understood_is_quoted_whole(parser: Parser) -> None:
    home = load_home(REPO / "tests" / "nlu" / "corpus" / "homes" / "officetel.yaml").home
    reply = understood_reply(Parser(home).parse("다녀왔습니다"))
    assert "다녀왔습니를" not in reply


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("turn on the study pen", "서재 pen"),
        ("turn on the study end", "서재 end"),
        ("turn off the a few bit of air", "few bit"),
        ("start the VHS washer", "vhs washer"),
    ],
)
def test_words_not_read_never_pick_a_room_or_a_guess(parser: Parser, text: str, missing: str) -> None:
    """Issue 18 §2: words after the room, a property word alone, or a word that may complete another kind
    ("VHS washer": the dishwasher?) make a question, never the room's devices or the nearest kind."""
    understood = parser.parse(text)
    assert understood.commands == ()
    assert understood.not_found == (missing,)


def test_a_rooms_any_device_is_the_one_that_takes_the_verb(parser: Parser) -> None:
    assert _commands(parser.parse("거실 것은 열어줘")) == [("open", ["living_curtain"], {})]


@pytest.mark.parametrize("text", ["다 열어", "open everything"])
def test_opening_everything_in_the_home_is_asked(parser: Parser, text: str) -> None:
    understood = parser.parse(text, session="s")
    assert understood.commands == ()
    assert understood.needs_choice
    assert _commands(parser.parse("거실", session="s")) == [("open", ["living_curtain"], {})]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("거실 다 꺼", ["living_ceiling", "living_stand", "living_ac", "living_tv", "living_purifier"]),
        (
            "turn off everything in the living room",
            ["living_ceiling", "living_stand", "living_ac", "living_tv", "living_purifier"],
        ),
        ("start the washer", ["washer"]),
        ("start the dish washer", ["dishwasher"]),
    ],
)
def test_a_room_said_plainly_or_a_kind_read_still_acts(parser: Parser, text: str, want: list[str]) -> None:
    assert [c[1] for c in _commands(parser.parse(text))] == [sorted(want)]


@pytest.mark.parametrize(
    ("text", "room", "want"),
    [
        ("9번 틀어줘", None, [("set", ["living_tv"], {"property": "channel", "value": 9})]),
        ("9번 틀어줘", "living", [("set", ["living_tv"], {"property": "channel", "value": 9})]),
        ("건조 시작해", None, [("start", ["dryer"], {})]),
        (
            "냉동실 영하 18도로 맞춰",
            None,
            [("set", ["refrigerator"], {"property": "freezer_temperature", "value": -18})],
        ),
        ("밖에 더워?", None, [("get_weather", [], {})]),
        ("초미세먼지 얼마야?", "kitchen", [("query_state", ["kitchen_air"], {"property": "pm25"})]),
        ("건조 언제 끝나?", None, [("query_state", ["dryer"], {"property": "remaining_time"})]),
        ("what is left on the dryer", None, [("query_state", ["dryer"], {"property": "remaining_time"})]),
        ("세탁기 쾌속 코스로 돌려줘", None, [("start", ["washer"], {"cycle": "쾌속"})]),
    ],
)
def test_what_was_misread(
    parser: Parser, text: str, room: str | None, want: list[tuple[str, list[str], dict[str, Any]]]
) -> None:
    assert _commands(parser.parse(text, room=room)) == want


def test_also_after_a_device_repeats_the_last_request_for_it(parser: Parser) -> None:
    parser.parse("세탁기 돌려줘", session="also")
    assert _commands(parser.parse("식기세척기도", session="also")) == [("start", ["dishwasher"], {})]


@pytest.mark.parametrize(
    ("also", "want"),
    [
        ("the washer too", [("start", ["washer"], {})]),
        ("the washer as well", [("start", ["washer"], {})]),
        ("also the washer", [("start", ["washer"], {})]),
        ("the master bedroom too", [("turn_on", ["master_light"], {})]),
        ("the master bedroom as well", [("turn_on", ["master_light"], {})]),
    ],
)
def test_also_in_english_repeats_the_last_request_and_is_no_unknown_word(
    parser: Parser, also: str, want: list[tuple[str, list[str], dict[str, Any]]]
) -> None:
    first = "start the dishwasher" if "washer" in also else "turn on the living room light"
    parser.parse(first, session=also)
    assert _commands(parser.parse(also, session=also)) == want


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("가스 밸브 잠가줘", "가스 밸브를 잠글게요."),
        ("shut off the gas valve", "I'll shut off the gas valve."),
        ("거실 커튼 닫아줘", "거실 커튼을 닫을게요."),
    ],
)
def test_a_gas_valve_is_shut_not_closed_like_a_curtain(parser: Parser, text: str, reply: str) -> None:
    assert understood_reply(parser.parse(text)) == reply


def test_everything_off_is_everything_not_the_last_device(parser: Parser) -> None:
    parser.parse("거실 에어컨 켜", session="all")
    commands = _commands(parser.parse("다 꺼", session="all"))
    assert commands[0][0] == "turn_off" and {"living_ac", "master_light", "living_tv"} <= set(commands[0][1])


def test_a_floor_is_read_however_it_is_written() -> None:
    home = load_home(REPO / "tests" / "nlu" / "corpus" / "homes" / "three_generation.yaml").home
    parser = Parser(home)
    for text in ("이층 화장실 환풍기 꺼", "2층 화장실 환풍기 꺼"):
        assert _commands(parser.parse(text)) == [("turn_off", ["b2_fan"], {})], text
