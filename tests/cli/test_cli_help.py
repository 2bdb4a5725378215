"""`jibsa --help` and every command's help in the reader's language: Korean by default, English with
--lang en, JIBSA_LANG=en or an English locale; each help text comes from the catalogue (a missing key fails)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from jibsa.cli.help_words import ARGPARSE_MESSAGES, HelpWords, help_language
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


def _refusal(lang: str, *arguments: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        build_parser(None, lang).parse_args(list(arguments))
    assert exited.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


@pytest.mark.parametrize(
    ("arguments", "korean", "english"),
    [
        (["say", "--bad"], "jibsa: 오류: 알 수 없는 인자: --bad", "jibsa: error: unrecognized arguments: --bad"),
        (["user", "add"], "jibsa user add: 오류: 이 인자가 꼭 있어야 해요: name",
         "jibsa user add: error: the following arguments are required: name"),
        (["energy", "bill", "--kwh", "x"], "jibsa energy bill: 오류: --kwh 인자: float 값이 아니에요: 'x'",
         "jibsa energy bill: error: argument --kwh: invalid float value: 'x'"),
        (["energy", "bill", "--kwh"], "jibsa energy bill: 오류: --kwh 인자: 값이 하나 있어야 해요",
         "jibsa energy bill: error: argument --kwh: expected one argument"),
        (["energy", "bill", "--kwh", "3", "--voltage", "mid"],
         "jibsa energy bill: 오류: --voltage 인자: 고를 수 없는 값 'mid' (고를 수 있는 것: 'low', 'high')",
         "jibsa energy bill: error: argument --voltage: invalid choice: 'mid' (choose from 'low', 'high')"),
    ],
)  # fmt: skip
def test_argparse_says_what_is_wrong_in_the_readers_language(
    arguments: list[str], korean: str, english: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _refusal("ko", *arguments, capsys=capsys) == korean
    assert _refusal("en", *arguments, capsys=capsys) == english
    assert argparse._("unrecognized arguments: %s") == "unrecognized arguments: %s"  # type: ignore[attr-defined]


def test_every_argparse_message_translated_is_one_argparse_says_with_the_same_fields() -> None:
    import inspect

    source = inspect.getsource(argparse)
    fields = re.compile(r"%(?:\(\w+\))?[sr]")
    for message, key in ARGPARSE_MESSAGES.items():
        assert repr(message)[1:-1] in source or message in source, f"argparse no longer says {message!r}"
        for lang in ("ko", "en"):
            worded = HelpWords(lang).sentence(f"argparse.{key}")
            assert sorted(fields.findall(worded)) == sorted(fields.findall(message)), (lang, key)
