"""Questions of which devices are in a state ("켜진 거 있어?", "어떤 불이 켜져 있어?", "what's on?") ask for
only those devices; a question naming a kind ("거실 불 켜져 있어?") still asks each device's state."""

from __future__ import annotations

from jibsa.domain.asked_state import ASKED_STATES
from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.nlu.lexicon import load_lexicon
from jibsa.nlu.normalise import compact, normalise

HOME = load_home(None).home
PARSER = Parser(HOME)
LIGHTS = {d.id for d in HOME.devices if d.type.value == "light"}


def _asked(text: str) -> list[tuple[set[str], dict[str, object]]]:
    return [(set(c.targets), dict(c.params)) for c in PARSER.parse(text).commands]


def test_which_devices_are_on_in_the_home_or_a_room() -> None:
    everything = {d.id for d in HOME.devices}
    living = {d.id for d in HOME.devices if d.room == "living" and d.type.value != "sensor"}
    for text in ("켜진 거 있어?", "지금 집에 켜져 있는 거 뭐야?", "is anything on?", "what is on right now"):
        [(targets, params)] = _asked(text)
        assert params == {"state": "on"} and targets <= everything and len(targets) > 20, text
    assert _asked("거실에 켜진 거 있어?") == [(living, {"state": "on"})]
    assert _asked("열려 있는 거 있어?")[0][1] == {"state": "open"}
    assert _asked("잠긴 거 있어?")[0][1] == {"state": "locked"}


def test_which_of_a_kind() -> None:
    for text, state in (("어떤 불이 켜져 있어?", "on"), ("켜진 불 있어?", "on"), ("꺼진 불 있어?", "off"),
                        ("are any lights on", "on")):  # fmt: skip
        assert _asked(text) == [(LIGHTS, {"state": state})], text


def test_a_question_naming_devices_asks_each_state() -> None:
    assert _asked("거실 불 켜져 있어?") == [({"living_ceiling", "living_stand"}, {})]
    assert _asked("에어컨 켜져 있어?") == [({"living_ac", "master_ac"}, {})]
    assert _asked("현관문 잠겨 있어?") == [({"front_door"}, {})]
    assert _asked("거실 온도 몇 도야?")[0][1] == {"property": "temperature"}


def test_every_state_word_points_one_way_and_keeps_its_state() -> None:
    """A state word without a direction could not be asked which way; a longer form known only as a "which"
    word would hide the state inside it (the longest word is read)."""
    lex = load_lexicon()
    states = {compact(normalise(w)) for words in lex.groups("states").values() for w in words}
    values = lex.groups("state_values")
    assert set(values) == set(ASKED_STATES)
    pointed = {compact(normalise(w)) for words in values.values() for w in words}
    assert pointed == states
    for word in lex.words("state_which"):
        key = compact(normalise(word))
        assert key in states or not any(key.startswith(s) for s in states), word
