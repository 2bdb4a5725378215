"""The rules file: good files load; each bad one is refused with one line naming file, field and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from jibsa.domain import Home
from jibsa.rules.file import load_rules_file
from jibsa.rules.model import RuleFormatError

GOOD = """
rules:
  - name: 정원등 자동 켜기
    when: {kind: sun, event: sunset, offset_s: -600}
    if: [{kind: presence, presence: someone_home}]
    do: [{kind: command, intent: turn_on, targets: [garden_light]}]
    missed: fire
  - name: 세탁 알림
    when: {kind: finished, device: washer}
    do: [{kind: notify, to: [엄마]}]
    once: true
"""

BAD = [
    ("rules: 3", "rules: expected a list of rules under 'rules:'"),
    (
        "rules: [{name: x, when: {kind: rainbow}, do: [{kind: notify}]}]",
        "rules[0].when.kind: 'rainbow' is not one of state, finished, clock, sun, weather, presence, energy_tier, "
        "energy_bill",
    ),
    (
        "rules: [{name: x, when: {kind: finished, device: garage}, do: [{kind: notify}]}]",
        "rules[0].when.device: no device 'garage' in this home",
    ),
    (
        "rules: [{name: x, when: {kind: clock, at: '25:00'}, do: [{kind: notify}]}]",
        "rules[0].when.at: '25:00' is not a 24-hour time HH:MM",
    ),
    (
        "rules: [{name: x, when: {kind: state, device: thermo, property: humidity}, do: [{kind: notify}]}]",
        "rules[0].when: a state trigger needs 'to', 'above' or 'below'",
    ),
    (
        "rules: [{name: x, when: {kind: finished, device: washer}, do: []}]",
        "rules[0].do: a rule needs at least one action",
    ),
    (
        "rules: [{name: x, when: {kind: finished, device: washer}, do: [{kind: command, intent: fly, targets: [x]}]}]",
        "rules[0].do[0]: intent: unknown intent 'fly'",
    ),
    (
        "rules: [{name: x, when: {kind: finished, device: washer}, do: [{kind: notify}], missed: maybe}]",
        "rules[0].missed: 'maybe' is not one of fire, skip",
    ),
    ("rules: [{name: x\n", "line 2, column 1: not valid YAML"),
]


def test_a_good_file_loads(tmp_path: Path, home: Home) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first, second = load_rules_file(path, home)
    assert (first.when.kind, first.when.offset_s, first.missed) == ("sun", -600, "fire")
    assert second.once and second.do[0].to == ("엄마",)


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_refused_in_one_line(tmp_path: Path, home: Home, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFormatError) as caught:
        load_rules_file(path, home)
    said = str(caught.value)
    assert said.startswith(f"{path}: ") and message in said and "\n" not in said


ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9))
    + "rules: [*j]\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ALIAS_BOMB, "line 2, column 8: an alias (*a): a rules file may not use YAML aliases"),
        ("rules: " + "[" * 40 + "]" * 40, "line 1, column 39: nested more than 32 levels deep"),
        ("rules: []\n#" + "x" * 256_000, "a rules file may have at most 256,000"),
    ],
)
def test_bombs_are_refused_before_the_yaml_is_built(tmp_path: Path, home: Home, text: str, message: str) -> None:
    """Issue 20, item 14: an alias bomb grew `rules import` to 2.9 GB; a 10 MB file took 22 s."""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFormatError) as caught:
        load_rules_file(path, home)
    assert message in str(caught.value), str(caught.value)
