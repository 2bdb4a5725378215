"""A kind alone that matches devices in several rooms, said where no room is known, is asked about
("거실 에어컨이요, 안방 에어컨이요?"); the answer in the same session completes the request (issue 11)."""

from __future__ import annotations

import pytest

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.words.replies import understood_reply

HOME = load_home(None).home
ACS = ("living_ac", "master_ac")
LIGHTS = ("living_ceiling", "living_stand", "master_light", "kids_light", "study_light", "kitchen_light",
          "utility_light", "entrance_light")  # fmt: skip


def _commands(parser: Parser, text: str, **kw: str) -> list[tuple[str, tuple[str, ...], dict[str, object]]]:
    return [(c.intent, c.targets, dict(c.params)) for c in parser.parse(text, **kw).commands]


def test_a_kind_in_two_rooms_with_no_room_is_asked_about() -> None:
    parsed = Parser(HOME).parse("에어컨 켜서 23도로")
    assert parsed.commands == ()
    assert understood_reply(parsed) == "거실 에어컨이요, 안방 에어컨이요?"
    assert parsed.needs_choice == ACS
    assert parsed.to_json()["needs_choice"] == list(ACS)


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [("거실", ("living_ac",)), ("거실 거", ("living_ac",)), ("안방 에어컨", ("master_ac",)),
     ("안방이요", ("master_ac",)), ("둘 다", ACS), ("both", ACS)],
)  # fmt: skip
def test_the_answer_completes_the_request_with_its_values(answer: str, chosen: tuple[str, ...]) -> None:
    parser = Parser(HOME)
    parser.parse("에어컨 켜서 23도로", session="s")
    assert _commands(parser, answer, session="s") == [
        ("turn_on", chosen, {}),
        ("set", chosen, {"property": "temperature", "value": 23}),
    ]
    assert _commands(parser, answer, session="s") == []  # answered once: the question is closed


def test_an_answer_may_repeat_the_verb() -> None:
    parser = Parser(HOME)
    parser.parse("에어컨 켜줘", session="s")
    assert _commands(parser, "거실 거 켜줘", session="s") == [("turn_on", ("living_ac",), {})]


def test_a_new_request_instead_of_an_answer_is_taken_as_it_is() -> None:
    parser = Parser(HOME)
    parser.parse("에어컨 꺼", session="s")
    assert _commands(parser, "주방 불 꺼줘", session="s") == [("turn_off", ("kitchen_light",), {})]
    assert _commands(parser, "거실", session="s") == []
    parser.parse("에어컨 꺼", session="s")
    assert _commands(parser, "거실 불 꺼줘", session="s") == [("turn_off", ("living_ceiling", "living_stand"), {})]


def test_without_a_session_it_still_asks_and_does_nothing() -> None:
    parser = Parser(HOME)
    assert parser.parse("에어컨 꺼").commands == ()
    assert _commands(parser, "거실") == []


def test_a_room_or_all_word_needs_no_question() -> None:
    parser = Parser(HOME)
    assert _commands(parser, "불 꺼", room="living") == [("turn_off", ("living_ceiling", "living_stand"), {})]
    assert _commands(parser, "불 다 꺼") == [("turn_off", LIGHTS, {})]
    assert _commands(parser, "모든 에어컨 꺼") == [("turn_off", ACS, {})]
    assert _commands(parser, "에어컨 켜", room="master_bedroom") == [("turn_on", ("master_ac",), {})]
    assert _commands(parser, "거실 불 끄고 에어컨 켜줘")[1] == ("turn_on", ("living_ac",), {})


def test_many_rooms_are_listed_by_name() -> None:
    parsed = Parser(HOME).parse("불 꺼")
    assert parsed.commands == () and parsed.needs_choice == LIGHTS
    assert understood_reply(parsed).startswith("어느 방 불 말씀이세요? 거실, 안방, 아이방")


def test_implied_kinds_and_feelings_ask_too() -> None:
    parser = Parser(HOME)
    assert parser.parse("23도로 맞춰").needs_choice == ACS
    assert parser.parse("더워").needs_choice == ACS
    assert _commands(parser, "더워", room="master_bedroom") == [("turn_on", ("master_ac",), {})]


def test_questions_about_several_rooms_are_answered_not_asked() -> None:
    assert _commands(Parser(HOME), "에어컨 켜져 있어?") == [("query_state", ACS, {})]


def test_english_asks_in_english() -> None:
    parser = Parser(HOME)
    parsed = parser.parse("turn on the air conditioner", session="e")
    assert parsed.commands == () and understood_reply(parsed).startswith("Which one")
    assert _commands(parser, "the living room one", session="e") == [("turn_on", ("living_ac",), {})]


def test_a_room_said_earlier_without_the_kind_does_not_make_it_the_whole_home() -> None:
    """ "아이방 불 끄고 에어컨 켜": 아이방 has no air conditioner, and both the others were turned on. Now it is
    asked, and the answer completes the whole sentence; a kind in one other room only is still that one."""
    parser = Parser(HOME)
    parsed = parser.parse("아이방 불 끄고 에어컨 켜", session="k")
    assert parsed.commands == () and parsed.needs_choice == ACS
    assert understood_reply(parsed) == "거실 에어컨이요, 안방 에어컨이요?"
    assert _commands(parser, "거실", session="k") == [
        ("turn_off", ("kids_light",), {}),
        ("turn_on", ("living_ac",), {}),
    ]
    assert parser.parse("turn off the kids room light and turn on the air conditioner").needs_choice == ACS
    assert _commands(parser, "안방 불 끄고 에어컨 켜")[1] == ("turn_on", ("master_ac",), {})  # 안방 has one
    assert _commands(parser, "서재 불 끄고 커튼 닫아")[1] == ("close", ("living_curtain",), {})  # the only curtain
