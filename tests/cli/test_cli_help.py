"""`jibsa --help` and every command's help in the reader's language: Korean by default, English with
--lang en, JIBSA_LANG=en or an English locale; each help text comes from the catalogue (a missing key fails)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from jibsa.cli.help_words import HelpWords, help_language
from jibsa.cli.main import build_parser
from jibsa.words import MissingWords

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Korean that English help keeps on purpose: the product's name, the tariff's own terms, an example request.
KOREAN_IN_ENGLISH_HELP = ("집사", "저압", "고압", "검침일", "거실 불 꺼줘")


def _without_kept_korean(text: str) -> str:
    for kept in KOREAN_IN_ENGLISH_HELP:
        text = text.replace(kept, "")
    return text


def _parsers(parser: argparse.ArgumentParser, path: str = "jibsa") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def _helps(parser: argparse.ArgumentParser) -> list[str | None]:
    """Every help text a parser shows: its options' and arguments', and its sub-commands'."""
    texts: list[str | None] = []
    for action in parser._actions:
        if isinstance(action.choices, dict):  # the sub-commands, each with its own help
            texts += [choice.help for choice in action._choices_actions]  # type: ignore[attr-defined]
        elif action.help != argparse.SUPPRESS:
            texts.append(action.help)
    return texts


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_command_has_help_in_each_language(lang: str) -> None:
    commands = dict(_parsers(build_parser(None, lang)))
    assert {"jibsa", "jibsa say", "jibsa user add", "jibsa energy bill", "jibsa voice serve"} <= commands.keys()
    for path, parser in commands.items():
        page = parser.format_help()
        assert page.startswith("사용법: " if lang == "ko" else "usage: "), path
        for text in _helps(parser):
            assert text, f"{path}: an option or command without help"
            if lang == "ko":
                assert HANGUL.search(text), f"{path}: {text!r} is not Korean"
            else:
                assert not HANGUL.search(_without_kept_korean(text)), f"{path}: {text!r} is not English"


def test_a_help_key_missing_from_the_catalogue_fails() -> None:
    with pytest.raises(MissingWords, match=r"no 'help\.say\.nothing'"):
        HelpWords("en")("say.nothing")


def test_the_help_language_follows_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIBSA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert help_language(["say", "--help"]) == "ko"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert help_language(["say", "--help"]) == "en"
    monkeypatch.setenv("LC_MESSAGES", "ko_KR.UTF-8")  # the messages' locale before LANG
    assert help_language(["say"]) == "ko"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL before both
    assert help_language(["say"]) == "en"
    monkeypatch.setenv("JIBSA_LANG", "ko")
    assert help_language(["say"]) == "ko"
    assert help_language(["say", "--lang", "en", "--help"]) == "en"
    assert help_language(["say", "--lang=en"]) == "en"


def _help(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", **env},
    )


def test_jibsa_help_is_korean_by_default_and_english_when_asked() -> None:
    korean = _help("--help", env={})
    assert korean.returncode == 0
    assert "사용법: jibsa" in korean.stdout and "집에 한 문장을 말하고 실행" in korean.stdout
    english = _help("--help", env={"LANG": "en_US.UTF-8"})
    assert "usage: jibsa" in english.stdout and "say one sentence to the home and carry it out" in english.stdout
    assert "--yes" in _help("say", "--help", "--lang", "en", env={}).stdout
    asked = _help("user", "add", "--help", "--lang", "en", env={"LANG": "ko_KR.UTF-8"}).stdout
    assert "add a person; prints their access token once" not in asked  # the sub-command's own page
    assert "also set a password for the web page (asked)" in asked


def test_a_wrong_command_line_is_refused_in_the_chosen_language() -> None:
    refused = _help("energy", "bill", "--kwh", "x", env={})
    assert refused.returncode == 2
    assert "jibsa energy bill: 오류: " in refused.stderr
    assert "jibsa energy bill: error: " in _help("energy", "bill", "--kwh", "x", env={"JIBSA_LANG": "en"}).stderr


def test_korean_help_wraps_by_the_columns_hangul_takes() -> None:
    page = _help("say", "--help", env={"COLUMNS": "60"}).stdout
    widths = [sum(2 if HANGUL.match(ch) else 1 for ch in line) for line in page.splitlines()]
    assert max(widths) <= 60, page
