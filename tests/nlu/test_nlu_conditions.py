"""Issue 18 §1, §4b, §4c: a sentence with a condition never acts now (`jibsa.nlu.condition`, applied at the
parser's one exit); questions never act; rule sentences become live rules with what was said."""

from __future__ import annotations

from typing import Any

import pytest
from corpus_gen import load_data
from corpus_score import build_corpus
from nlu_scoring import REPO

from jibsa.domain import Command
from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.nlu.condition import acts, find_condition
from jibsa.rules.conditions import value_matches
from jibsa.rules.triggers.finished import FINISHED_STATES
from jibsa.words.replies import understood_reply

SAMPLE = REPO / "src" / "jibsa" / "data" / "sample_home.yaml"


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(load_home(SAMPLE).home)


def _rule(parser: Parser, text: str) -> dict[str, Any]:
    understood = parser.parse(text)
    assert [c.intent for c in understood.commands] == ["add_rule"], (text, understood.commands)
    rule: dict[str, Any] = understood.commands[0].params["rule"]
    return rule


def test_no_conditional_sentence_of_the_corpus_acts_now() -> None:
    """Every conditional sentence of the corpus, in every home: no command that acts (floor 100%)."""
    from corpus_score import HOMES

    corpus = build_corpus(load_data())
    for key, items in corpus.items():
        parser = Parser(load_home(HOMES[key]).home)
        conditional = [i for i in items if i["cat"] == "conditional"]
        assert len(conditional) > 100
        for item in conditional:
            commands = parser.parse(item["text"], room=item.get("room")).commands
            assert not any(acts(c) for c in commands), (key, item["text"], commands)


@pytest.mark.parametrize(
    "text",
    [
        "해 질 무렵 거실 불 켜줘",
        "해 뜰 때 거실 커튼 열어줘",
        "비 올 때마다 창문 닫아",
        "자는 동안 에어컨 꺼줘",
        "자기 전에 불 꺼줘",
        "해 지고 10분 뒤에 커튼 닫아줘",
        "현관문 열린 채로 3분 넘으면 알려줘",
        "when the dryer is done turn off the fan",
        "if it rains close the window",
        "turn on the light at sunset",
        "unlock the front door if the washer stays on for 10 minutes",
        "거실이 어두우면 스탠드 켜줘",
    ],
)
def test_a_condition_is_read_from_grammar(parser: Parser, text: str) -> None:
    language = "en" if text.isascii() else "ko"
    assert find_condition(text.lower() if language == "en" else text, language) is not None
    assert not any(acts(c) for c in parser.parse(text).commands)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("라면 5분 타이머", "set_timer"),
        ("수면 모드로 해줘", "set"),
        ("거실 불 30분 동안 켜줘", None),
        ("거실 불 켜 주면 좋겠어", "turn_on"),
        ("거실 에어컨 23도로 맞추고 30분 뒤에 꺼줘", "set"),
        ("큰방도 켜 줄 수 있어요?", None),
        ("거실 불 켜 줄래?", "turn_on"),
    ],
)
def test_words_that_only_look_conditional_still_act(parser: Parser, text: str, intent: str | None) -> None:
    assert find_condition(text) is None
    if intent is not None:
        assert parser.parse(text).commands[0].intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "에어컨 켜면 전기요금 많이 나와?",
        "거실 온도가 28도 넘었어?",
        "엄마 집에 왔어?",
        "현관문 열리면 소리 나?",
        "if I turn on the ac will it get cold fast?",
    ],
)
def test_questions_never_act_nor_propose_a_rule(parser: Parser, text: str) -> None:
    understood = parser.parse(text)
    assert not any(acts(c) or c.intent == "add_rule" for c in understood.commands), understood.commands
    assert understood_reply(understood)


def test_an_unreadable_condition_says_it_did_nothing(parser: Parser) -> None:
    understood = parser.parse("거실이 어두우면 스탠드 켜줘")
    assert understood.commands == ()
    assert "지금 바로 하지는 않을게요" in understood_reply(understood)


def test_sun_offsets_become_sun_rules_and_are_said_back(parser: Parser) -> None:
    before = parser.parse("해 지기 30분 전에 거실 스탠드 켜줘")
    rule = before.commands[0].params["rule"]
    assert rule["when"] == {"kind": "sun", "event": "sunset", "offset_s": -1800.0, "days": "daily"}
    assert rule["do"][0]["targets"] == ["living_stand"]
    assert understood_reply(before).startswith("해 지기 30분 전에")
    after = _rule(parser, "해 지고 10분 뒤에 커튼 닫아줘")
    assert after["when"]["offset_s"] == 600.0
    assert _rule(parser, "해 뜨고 한 시간 뒤에 알려줘")["when"]["offset_s"] == 3600.0


def test_i_am_the_speaker_not_a_person_named_nae(parser: Parser) -> None:
    rule = _rule(parser, "내가 집에 오면 불 켜줘")
    assert rule["when"] == {"kind": "presence", "event": "arrive"}
    assert rule["do"][0]["intent"] == "turn_on"


def test_a_rule_keeps_every_action_said(parser: Parser) -> None:
    rule = _rule(parser, "세탁 끝나면 다용도실 불 켜고 알려줘")
    assert rule["when"] == {"kind": "finished", "device": "washer"}
    assert {a["kind"] for a in rule["do"]} == {"notify", "command"}
    assert next(a for a in rule["do"] if a["kind"] == "command")["targets"] == ["utility_light"]


def test_a_sensor_triggers_and_the_device_of_its_room_acts(parser: Parser) -> None:
    understood = parser.parse("거실 온도가 28도 넘으면 에어컨 켜줘")
    rule = understood.commands[0].params["rule"]
    assert rule["when"] == {"kind": "state", "device": "living_sensor", "property": "temperature", "above": 28.0}
    assert [a["targets"] for a in rule["do"]] == [["living_ac"]]
    assert "28도를 넘으면" in understood_reply(understood)


def test_a_robot_vacuum_finishes_when_it_stops_cleaning() -> None:
    """What the finished watcher compares: cleaning -> returning is a finish, returning -> docked is not another."""

    def fires(old: str, new: str) -> bool:
        return value_matches(new, FINISHED_STATES, None, None) and not value_matches(old, FINISHED_STATES, None, None)

    assert fires("cleaning", "returning") and fires("cleaning", "docked") and fires("running", "finished")
    assert not fires("returning", "docked") and not fires("docked", "cleaning")


def test_the_vacuum_rule_is_read(parser: Parser) -> None:
    assert _rule(parser, "로봇청소기 청소 끝나면 알려줘")["when"] == {"kind": "finished", "device": "robot_vacuum"}


@pytest.mark.parametrize(("text", "at"), [("저녁 7시마다 거실 불 켜줘", "19:00"), ("밤 10시마다 불 다 꺼줘", "22:00")])
def test_every_day_at_a_time_repeats(parser: Parser, text: str, at: str) -> None:
    commands = parser.parse(text).commands
    assert commands and all(c.params.get("at") == at and c.params.get("repeat") == "daily" for c in commands)


def test_a_delay_belongs_to_its_own_request(parser: Parser) -> None:
    first, second = parser.parse("거실 에어컨 23도로 맞추고 30분 뒤에 꺼줘").commands
    assert first == Command("set", ("living_ac",), {"property": "temperature", "value": 23})
    assert second == Command("turn_off", ("living_ac",), {"delay_s": 1800})
    both = parser.parse("30분 뒤에 거실 불 켜고 에어컨 꺼줘").commands
    assert all(c.params.get("delay_s") == 1800 for c in both)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        (
            "아이방 온도가 28도 넘으면 알려줘",
            {"kind": "state", "device": "kids_sensor", "property": "temperature", "above": 28.0},
        ),
        ("로봇청소기 청소 다 하면 알려 줘", {"kind": "finished", "device": "robot_vacuum"}),
        ("notify me as soon as the dishwasher finishes", {"kind": "finished", "device": "dishwasher"}),
        ("when the sun comes up tell me", {"kind": "sun", "event": "sunrise", "offset_s": 0.0, "days": "daily"}),
    ],
)
def test_the_trigger_is_the_one_said(parser: Parser, text: str, when: dict[str, Any]) -> None:
    assert _rule(parser, text)["when"] == when


def test_why_names_the_sun_offset() -> None:
    from jibsa.rules.readback import describe_rule_outcome

    rule = {"name": "해 지기 30분 전에 거실 스탠드 켜줘", "when": {"kind": "sun", "event": "sunset", "offset_s": -1800}}
    answer = {
        "at": 1.0,
        "time": "17:50",
        "changed": {"power": True},
        "cause": {"via": "rule:r1"},
        "rule": rule,
        "name": "거실 스탠드",
    }
    said = describe_rule_outcome("why", answer, None, "ko")
    assert said.startswith("해 지기 30분 전이 되어서") and "켰어요" in said


@pytest.mark.parametrize(
    ("when", "ko", "en"),
    [
        (
            {"kind": "sun", "event": "sunset", "offset_s": 30},
            "해가 지고 30초가 지나서",
            "It was 30 seconds after sunset",
        ),
        (
            {"kind": "sun", "event": "sunset", "offset_s": 600},
            "해가 지고 10분이 지나서",
            "It was 10 minutes after sunset",
        ),
        (
            {"kind": "sun", "event": "sunrise", "offset_s": 3600},
            "해가 뜨고 1시간이 지나서",
            "It was 1 hour after sunrise",
        ),
        ({"kind": "clock", "at": "19:00"}, "저녁 7시가 되어서", "It was 19:00"),
        ({"kind": "clock", "at": "18:12"}, "저녁 6시 12분이 되어서", "It was 18:12"),
    ],
)
def test_why_takes_the_particle_the_time_is_read_with(when: dict[str, Any], ko: str, en: str) -> None:
    """ "30초가 지나서", never "30초이 지나서": the particle follows the sound of the last syllable."""
    from jibsa.rules.readback import describe_rule_outcome

    rule = {"name": "정원등 켜기", "when": when}
    answer = {"at": 1.0, "time": "19:00", "changed": {"power": True}, "cause": {"via": "rule:r1"}, "rule": rule}
    assert describe_rule_outcome("why", {**answer, "name": "정원등"}, None, "ko").startswith(ko)
    assert describe_rule_outcome("why", {**answer, "name": "정원등"}, None, "en").startswith(en)
