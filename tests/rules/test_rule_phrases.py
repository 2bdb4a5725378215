"""Rules made by talking: each sentence of data/rule_phrases.yaml becomes its rule (data-driven),
the rule is valid for the home, and the managing sentences become their commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jibsa.domain import Home
from jibsa.nlu import Parser
from jibsa.rules.schema import read_rule
from jibsa.words.replies import understood_reply

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).with_name("data") / "rule_phrases.yaml").read_text())


@pytest.fixture(scope="module")
def parser() -> Parser:
    from jibsa.home_file import load_home

    return Parser(load_home(Path(__file__).with_name("data") / "rules_home.yaml").home)


def test_the_set_is_large_enough() -> None:
    korean = [c for c in CASES if not c["say"].isascii()]
    assert len(korean) >= 40 and len(CASES) - len(korean) >= 5
    kinds = {c["when"]["kind"] for c in korean}
    assert kinds == {"state", "finished", "clock", "sun", "weather", "presence"}


@pytest.mark.parametrize("case", CASES, ids=[c["say"] for c in CASES])
def test_a_sentence_becomes_its_rule(parser: Parser, home_of_parser: Home, case: dict[str, Any]) -> None:
    understood = parser.parse(case["say"])
    [command] = understood.commands
    assert command.intent == "add_rule" and command.targets == ()
    rule = command.params["rule"]
    assert rule["when"] == case["when"]
    assert rule["if"] == case.get("if", [])
    assert rule["do"] == case["do"]
    assert rule["once"] is case.get("once", False)
    assert understood.needs_confirmation  # saved only after a yes
    read_rule(rule, home_of_parser)  # a valid rule for this home
    if "reply" in case:
        assert understood_reply(understood) == case["reply"]


@pytest.fixture(scope="module")
def home_of_parser(parser: Parser) -> Home:
    return parser.home


@pytest.mark.parametrize(("said", "intent", "params"), [
    ("규칙 뭐 있어?", "list_rules", {}),
    ("자동화 목록 보여줘", "list_rules", {}),  # "예약 뭐 있어?" is list_jobs: the timers and schedules
    ("정원등 규칙 꺼줘", "disable_rule", {"device": "garden_light"}),
    ("정원등 규칙 지워줘", "remove_rule", {"device": "garden_light"}),
    ("세탁기 규칙 다시 켜줘", "enable_rule", {"device": "washer"}),
    ("what rules are there?", "list_rules", {}),
    ("turn off the garden light rule", "disable_rule", {"device": "garden_light"}),
])  # fmt: skip
def test_rules_are_listed_switched_and_removed_by_talking(
    parser: Parser, said: str, intent: str, params: dict[str, Any]
) -> None:
    [command] = parser.parse(said).commands
    assert (command.intent, dict(command.params)) == (intent, params)


@pytest.mark.parametrize(
    "said", ["거실 불 꺼줘", "30분 뒤에 보일러 꺼", "저녁 9시에 정원등 켜줘", "세탁 언제 끝나?", "더우면 어떡하지"]
)
def test_ordinary_requests_are_not_taken_for_rules(parser: Parser, said: str) -> None:
    assert all(c.intent != "add_rule" for c in parser.parse(said).commands)
