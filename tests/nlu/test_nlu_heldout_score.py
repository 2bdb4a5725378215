"""The held-out check's scoring (tests/nlu/heldout_score.py): the measure itself must be right, since its figures
are reported as they come (bench/heldout_report.py)."""

from __future__ import annotations

from typing import Any

import pytest
from heldout_score import command, expand, judge, load_items


def _item(*answers: list[str]) -> dict[str, Any]:
    return {"expect": [[command(c) for c in alt] for alt in answers]}


def test_a_pattern_says_every_combination() -> None:
    assert expand("{거실|안방} 불 {켜 줘|꺼}") == ["거실 불 켜 줘", "거실 불 꺼", "안방 불 켜 줘", "안방 불 꺼"]
    assert expand("할머니 주무실 시간{|이야}") == ["할머니 주무실 시간", "할머니 주무실 시간이야"]


def test_a_command_is_written_as_intent_targets_and_params() -> None:
    assert command("set b a property=temperature value=24") == {
        "intent": "set",
        "targets": ["a", "b"],
        "params": {"property": "temperature", "value": 24},
    }


@pytest.mark.parametrize(
    ("answers", "got", "right", "wrong"),
    [
        ([["turn_on a"]], [command("turn_on a")], True, None),
        ([["turn_on a"]], [], False, None),  # asked or declined
        ([["turn_on a"]], [command("turn_off a")], False, "flipped"),
        (
            [["adjust a property=volume direction=up"]],
            [command("adjust a property=volume direction=down")],
            False,
            "flipped",
        ),
        ([["turn_on a"]], [command("turn_on a b")], False, "widened"),
        ([["turn_on a"]], [command("turn_on c")], False, "other device"),
        (
            [["set a property=temperature value=24"]],
            [command("set a property=temperature value=25")],
            False,
            "wrong value",
        ),
        ([[]], [command("query_state a")], True, None),  # a question changes nothing
        ([[]], [command("add_rule")], True, None),  # a rule proposed for a yes changes nothing
        ([[]], [command("turn_on a")], False, "unasked"),
        ([["turn_on a"], []], [], True, None),  # a slip may be asked about
        ([["run_scene scene=out"]], [command("set a property=mode value=away")], False, "other device"),
    ],
)
def test_each_outcome_is_judged_by_its_kind(
    answers: list[list[str]], got: list[dict[str, Any]], right: bool, wrong: str | None
) -> None:
    outcome = judge(_item(*answers), got)
    assert (outcome.right, outcome.wrong) == (right, wrong)


def test_the_batches_hold_every_sentence_once_per_home_and_room() -> None:
    items = load_items()
    keys = [(i["home"], i["room"], tuple(i["before"]), i["text"]) for i in items]
    assert len(keys) == len(set(keys)), "a sentence said twice in one home and room"
    assert {i["batch"] for i in items} == {1, 2} and len(items) >= 600
