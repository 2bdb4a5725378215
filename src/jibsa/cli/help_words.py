"""The command line's help in the reader's language: every help text, and argparse's own words (usage,
section titles, -h, error), come from the catalogue's `help` section (words/ko.yaml, en.yaml)."""

from __future__ import annotations

import argparse
import functools
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from jibsa.cli.common import LANGUAGES, cli_language
from jibsa.words import Said, say


@dataclass(frozen=True)
class HelpWords:
    """The help of one language: `words("say.yes")` is the catalogue's `help.say.yes`."""

    language: str

    def __call__(self, key: str, **fields: object) -> str:
        return self.sentence(key, **fields).replace("%", "%%")  # argparse %-formats help texts

    def sentence(self, key: str, **fields: object) -> str:
        """The sentence as it is printed (not a help text argparse formats)."""
        return say(Said(f"help.{key}", fields), self.language)


def help_language(arguments: Sequence[str]) -> str:
    """The language the help is written in: a `--lang` on the command line, else `cli_language`'s choice
    (JIBSA_LANG, then the locale: LC_ALL, LC_MESSAGES, LANG), else Korean."""
    for index, argument in enumerate(arguments):
        asked = argument.removeprefix("--lang=") if argument.startswith("--lang=") else None
        if argument == "--lang" and index + 1 < len(arguments):
            asked = arguments[index + 1]
        if asked in LANGUAGES:
            return asked
    return cli_language(None)


class _WordedFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, *, usage: str, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._usage_prefix = usage

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self._usage_prefix if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Help lines wrapped by the columns they take: a Hangul syllable takes two."""
        lines: list[str] = []
        for word in self._whitespace_matcher.sub(" ", text).strip().split(" "):
            if lines and _columns(lines[-1]) + 1 + _columns(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class WordedParser(argparse.ArgumentParser):
    """An argument parser that writes its own words in `words`' language; its sub-commands' parsers too."""

    def __init__(self, *args: Any, words: HelpWords, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs["formatter_class"] = functools.partial(_WordedFormatter, usage=words("usage"))
        super().__init__(*args, **kwargs)
        self.words = words
        self._positionals.title = words("positionals")
        self._optionals.title = words("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=words("help"))

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", functools.partial(WordedParser, words=self.words))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, self.words.sentence("error", prog=self.prog, message=message) + "\n")
