"""Context: the request's room, earlier parts of the sentence, and earlier requests of a session."""

from __future__ import annotations

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.nlu.parser import MAX_SESSIONS

HOME = load_home(None).home


def _intents(parser: Parser, text: str, **kw: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.intent, c.targets) for c in parser.parse(text, **kw).commands]


def test_rule_three_prefers_the_room_then_the_home() -> None:
    parser = Parser(HOME)
    assert _intents(parser, "에어컨 켜", room="master_bedroom") == [("turn_on", ("master_ac",))]
    asked = parser.parse("에어컨 켜", room="study")  # no air conditioner in the study: which one?
    assert asked.commands == () and asked.needs_choice == ("living_ac", "master_ac")
    assert _intents(parser, "에어컨 다 켜", room="study") == [("turn_on", ("living_ac", "master_ac"))]


def test_a_room_said_earlier_holds_for_what_follows() -> None:
    parser = Parser(HOME)
    expected = [("turn_off", ("master_light",)), ("turn_on", ("master_ac",))]
    assert _intents(parser, "안방 불 끄고 에어컨 켜줘") == expected


def test_session_memory_and_cancel() -> None:
    parser = Parser(HOME)
    assert _intents(parser, "거실 스탠드 켜줘", session="s") == [("turn_on", ("living_stand",))]
    assert parser.parse("밝기 50으로", session="s").commands[0].targets == ("living_stand",)
    assert _intents(parser, "안방도", session="s")[0][1] == ("master_light",)
    parser.parse("30분 뒤에 거실 불 꺼줘", session="s")
    assert _intents(parser, "됐어", session="s") == [("cancel", ())]
    alone = parser.parse("밝기 50으로")  # no session: no memory, so which lights?
    assert alone.commands == () and "living_stand" in alone.needs_choice


def test_sessions_are_bounded() -> None:
    parser = Parser(HOME)
    for i in range(MAX_SESSIONS + 5):
        parser.parse("거실 불 꺼줘", session=f"s{i}")
    assert len(parser._sessions) == MAX_SESSIONS
