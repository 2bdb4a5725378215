"""The command line's help in the reader's language: every help text, and argparse's own words (usage,
section titles, -h, error, and what it says of a wrong command line), come from the catalogue's `help`
section (words/ko.yaml, en.yaml)."""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from jibsa.cli.common import LANGUAGES, cli_language
from jibsa.words import Said, say

# argparse's messages about a wrong command line (its gettext msgids), and their keys under help.argparse.
ARGPARSE_MESSAGES: dict[str, str] = {
    "argument %(argument_name)s: %(message)s": "argument",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
    "can't open '%(filename)s': %(error)s": "cannot_open",
    "unrecognized arguments: %s": "unrecognized",
    "not allowed with argument %s": "not_allowed_with",
    "ignored explicit argument %r": "ignored_explicit",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_count_one",
    "expected %s arguments": "expected_count",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "unexpected option string: %s": "unexpected_option",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
}


@dataclass(frozen=True)
class HelpWords:
    """The help of one language: `words("say.yes")` is the catalogue's `help.say.yes`."""

    language: str

    def __call__(self, key: str, **fields: object) -> str:
        return self.sentence(key, **fields).replace("%", "%%")  # argparse %-formats help texts

    def sentence(self, key: str, **fields: object) -> str:
        """The sentence as it is printed (not a help text argparse formats)."""
        return say(Said(f"help.{key}", fields), self.language)

    def argparse_message(self, message: str) -> str:
        """argparse's `message` (a %-format it fills in) in this language; one it has not listed, as it is."""
        key = ARGPARSE_MESSAGES.get(message)
        return message if key is None else self.sentence(f"argparse.{key}")


@contextlib.contextmanager
def argparse_speaks(words: HelpWords) -> Iterator[None]:
    """While the body runs, argparse's messages are `words`'. argparse words them through gettext, with the
    `_` and `ngettext` it imported from it; those are swapped for the catalogue's, then put back."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def ngettext(singular: str, plural: str, n: int) -> str:
        return words.argparse_message(singular if n == 1 else plural)

    argparse._, argparse.ngettext = words.argparse_message, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


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

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with argparse_speaks(self.words):
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # it words "unrecognized arguments"
        with argparse_speaks(self.words):
            return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, self.words.sentence("error", prog=self.prog, message=message) + "\n")
