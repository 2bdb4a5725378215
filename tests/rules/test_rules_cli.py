"""`jibsa rules check` and `jibsa rules import`: one line and exit 2 for a bad file; imported rules
are kept in the store and imported again replace themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from jibsa.cli.main import main

HOME = str(Path(__file__).with_name("data") / "rules_home.yaml")
RULES = """rules:
  - name: 정원등 자동 켜기
    when: {kind: sun, event: sunset}
    do: [{kind: command, intent: turn_on, targets: [garden_light]}]
"""


def test_check_accepts_a_good_file_and_refuses_a_bad_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(RULES, encoding="utf-8")
    bad.write_text(RULES.replace("sunset", "moonrise"), encoding="utf-8")
    assert main(["rules", "check", str(good), "--home", HOME]) == 0
    assert capsys.readouterr().out == f"{good}: ok: 1 rules\n"
    assert main(["rules", "check", str(bad), "--home", HOME]) == 2
    assert capsys.readouterr().out == f"{bad}: rules[0].when.event: 'moonrise' is not one of sunrise, sunset\n"


def test_import_keeps_the_rules_and_replaces_them_when_imported_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, data = tmp_path / "rules.yaml", tmp_path / "data"
    rules.write_text(RULES, encoding="utf-8")
    for _ in range(2):
        assert main(["rules", "import", str(rules), "--home", HOME, "--data", str(data)]) == 0
    capsys.readouterr()
    assert main(["say", "규칙 뭐 있어?", "--home", HOME, "--data", str(data)]) == 0
    assert "규칙 1개: 정원등 자동 켜기." in capsys.readouterr().out
