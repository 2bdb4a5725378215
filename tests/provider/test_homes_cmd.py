"""`jibsa provider homes import|export|delete` against a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jibsa.cli.main import main
from jibsa.home_file import sample_home_text

pytestmark = pytest.mark.postgres


def test_import_export_and_delete_from_the_command_line(
    provider_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "home.yaml"
    template.write_text(sample_home_text(), encoding="utf-8")
    tokens = tmp_path / "tokens.tsv"
    db = ["--db", provider_url]
    assert main(["provider", "homes", "import", str(template), "--generate", "3", "--owner", "엄마",
                 "--tokens", str(tokens), *db]) == 0  # fmt: skip
    assert "imported 3 homes" in capsys.readouterr().out
    lines = tokens.read_text().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["h_00000", "h_00001", "h_00002"]
    assert oct(tokens.stat().st_mode & 0o777) == "0o600"

    assert main(["provider", "homes", "export", "h_00001", *db]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["homes"][0]["id"] == "h_00001" and exported["users"][0]["name"] == "엄마"
    assert lines[1].split("\t")[1] not in json.dumps(exported)  # the token itself is never kept

    assert main(["provider", "homes", "delete", "h_00001", *db]) == 1  # without --yes: says what would go
    assert '"homes": 1' in capsys.readouterr().out
    assert main(["provider", "homes", "delete", "h_00001", "--yes", *db]) == 0
    assert "deleted h_00001" in capsys.readouterr().out
    assert main(["provider", "homes", "export", "h_00001", *db]) == 1
    assert "no home 'h_00001'" in capsys.readouterr().err
    assert main(["provider", "homes", "retention", "h_00002", "7", *db]) == 0
    assert main(["provider", "homes", "retention", "h_00002", "-1", *db]) == 1
    assert main(["provider", "homes", "retention", "h_00001", "7", *db]) == 1  # deleted: no such home
    capsys.readouterr()
    assert main(["provider", "homes", "export", "h_00002", *db]) == 0
    assert json.loads(capsys.readouterr().out)["homes"][0]["history_days"] == 7


def test_a_broken_home_file_is_named_and_nothing_is_imported(
    provider_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(sample_home_text(), encoding="utf-8")
    bad.write_text("id: bad\nname: 집\nrooms: [\n", encoding="utf-8")
    assert main(["provider", "homes", "import", str(good), str(bad), "--db", provider_url]) == 1
    assert "bad.yaml" in capsys.readouterr().err
    assert main(["provider", "homes", "export", "sample", "--db", provider_url]) == 1
