"""`jibsa provider homes import|export|delete` against a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jibsa.cli.main import main
from jibsa.home_file import sample_home_text
from jibsa.words import Said, say, sentences, word

pytestmark = pytest.mark.postgres


def _told(language: str, key: str, **fields: Any) -> str:
    """The operator's sentence `key` of the catalogue, as the command line says it in `language`."""
    return say(Said(f"provider_cli.{key}", fields), language)


def _opening(language: str, key: str, until: str, **fields: Any) -> str:
    """The sentence `key` up to its field `until` (one that differs from run to run: seconds, an error)."""
    return word(sentences(language)[f"provider_cli.{key}"].split("{" + until)[0], fields, language)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_import_export_and_delete_from_the_command_line(
    provider_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    template = tmp_path / "home.yaml"
    template.write_text(sample_home_text(), encoding="utf-8")
    tokens = tmp_path / "tokens.tsv"
    db = ["--db", provider_url, "--lang", language]
    assert main(["provider", "homes", "import", str(template), "--generate", "3", "--owner", "엄마",
                 "--tokens", str(tokens), *db]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith(
        _opening(language, "imported", "seconds", count=3)
    )  # "imported 3 homes in 0.4 s", "집 3곳을 0.4초 만에 …"
    lines = tokens.read_text().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["h_00000", "h_00001", "h_00002"]
    assert oct(tokens.stat().st_mode & 0o777) == "0o600"
    again = ["provider", "homes", "import", str(template), "--generate", "4", "--owner", "엄마", *db]
    assert main(again) == 1  # h_00000-h_00002 are there: told, and h_00003 is not imported either
    exist = Said("provider_errors.homes_exist", {"count": 3, "shown": "h_00000, h_00001, h_00002"})
    assert capsys.readouterr().err == say(exist, language) + "\n"
    assert main(["provider", "homes", "export", "h_00003", *db]) == 1
    capsys.readouterr()

    assert main(["provider", "homes", "export", "h_00001", *db]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["homes"][0]["id"] == "h_00001" and exported["users"][0]["name"] == "엄마"
    assert lines[1].split("\t")[1] not in json.dumps(exported)  # the token itself is never kept

    assert main(["provider", "homes", "delete", "h_00001", *db]) == 1  # without --yes: says what would go
    would = capsys.readouterr().out
    assert would.startswith(_opening(language, "would_delete", "counts", home="h_00001")) and '"homes": 1' in would
    assert main(["provider", "homes", "delete", "h_00001", "--yes", *db]) == 0
    assert capsys.readouterr().out.startswith(_opening(language, "deleted", "counts", home="h_00001"))
    assert main(["provider", "homes", "export", "h_00001", *db]) == 1
    assert _told(language, "no_home", home="h_00001") in capsys.readouterr().err
    assert main(["provider", "homes", "retention", "h_00002", "7", *db]) == 0
    assert capsys.readouterr().out == _told(language, "history_days", home="h_00002", days="7") + "\n"
    assert main(["provider", "homes", "retention", "h_00002", "-1", *db]) == 1
    assert capsys.readouterr().err == _told(language, "bad_days", days="-1") + "\n"
    assert main(["provider", "homes", "retention", "h_00001", "7", *db]) == 1  # deleted: no such home
    assert capsys.readouterr().err == _told(language, "no_home", home="h_00001") + "\n"
    assert main(["provider", "homes", "export", "h_00002", *db]) == 0
    assert json.loads(capsys.readouterr().out)["homes"][0]["history_days"] == 7


def test_a_broken_home_file_is_named_and_nothing_is_imported(
    provider_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(sample_home_text(), encoding="utf-8")
    bad.write_text("id: bad\nname: 집\nrooms: [\n", encoding="utf-8")
    assert main(["provider", "homes", "import", str(good), str(bad), "--db", provider_url, "--lang", "en"]) == 1
    english = capsys.readouterr().err
    assert main(["provider", "homes", "import", str(good), str(bad), "--db", provider_url]) == 1
    korean = capsys.readouterr().err
    assert english.startswith(f"{bad}: ") and korean.startswith(f"{bad}: ")  # the file, then where and what
    assert english != korean and "줄" in korean and "line" in english
    assert main(["provider", "homes", "export", "sample", "--db", provider_url]) == 1


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_unreachable_database_is_named_not_a_traceback(capsys: pytest.CaptureFixture[str], language: str) -> None:
    from jibsa.testing.processes import free_port

    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/jibsa_provider"
    assert main(["provider", "homes", "export", "h_00001", "--db", nowhere, "--lang", language]) == 1
    assert capsys.readouterr().err.startswith(_opening(language, "database_down", "error"))


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_wrong_import_is_told_in_the_command_lines_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    """What the operator got wrong, before any database is reached: said in Korean, or English with --lang en."""
    nowhere = ["--db", "postgresql://postgres@127.0.0.1:1/none", "--lang", language]
    home = tmp_path / "home.yaml"
    home.write_text(sample_home_text(), encoding="utf-8")
    cases = [
        (["import", str(home), str(home), "--generate", "2"], _told(language, "generate_one_file")),
        (["import"], _told(language, "no_files")),
        (
            ["import", str(tmp_path / "gone.yaml")],
            _opening(language, "unreadable", "reason", file=tmp_path / "gone.yaml"),
        ),
    ]
    for arguments, told in cases:
        assert main(["provider", "homes", *arguments, *nowhere]) == 1
        assert capsys.readouterr().err.startswith(told)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_settings_file_that_cannot_be_used_is_told_with_its_file_and_field(
    provider_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    config = tmp_path / "provider.yaml"
    config.write_text("database_url: postgresql://postgres@127.0.0.1:1/none\nlease_ttl_s: 0\n", encoding="utf-8")
    assert main(["provider", "worker", "--config", str(config), "--lang", language]) == 1
    between = say(Said("provider_errors.between_seconds", {"low": 1, "high": 600}), language)
    assert capsys.readouterr().err == f"{config}: lease_ttl_s: 0.0: {between}\n"
    config.write_text("nats_url: nats://127.0.0.1:4222\n", encoding="utf-8")
    assert main(["provider", "gateway", "--config", str(config), "--lang", language]) == 1
    missing = say(Said("provider_errors.no_database", {"variable": "JIBSA_PROVIDER_DATABASE_URL"}), language)
    assert capsys.readouterr().err == f"{config}: database_url: {missing}\n"
    assert main(["provider", "homes", "export", "h.1", "--db", provider_url, "--lang", language]) == 1
    assert capsys.readouterr().err == say(Said("provider_errors.bad_home_id", {"home": "'h.1'"}), language) + "\n"
