"""Options every `jibsa` command shares: --home, --data, and where the data directory lives."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jibsa.domain import LoadedHome

EXIT_FAILED = 1
EXIT_REFUSED = 2
LANGUAGES = ("ko", "en")  # as jibsa.presentation.state_words.LANGUAGES, without importing it


def default_data_dir() -> Path:
    """$JIBSA_DATA, else $XDG_DATA_HOME/jibsa, else ~/.local/share/jibsa."""
    if env := os.environ.get("JIBSA_DATA"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jibsa"


def add_home_options(parser: argparse.ArgumentParser, words: Callable[[str], str], *, data: bool = True) -> None:
    parser.add_argument("--home", metavar="FILE", default=os.environ.get("JIBSA_HOME"), help=words("common.home"))
    if data:
        add_data_option(parser, words)


def add_data_option(parser: argparse.ArgumentParser, words: Callable[[str], str]) -> None:
    parser.add_argument("--data", metavar="DIR", type=Path, default=None, help=words("common.data"))


def add_language_option(parser: argparse.ArgumentParser, words: Callable[[str], str]) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=words("common.lang"))


def _locale_language() -> str:
    """The language of the locale that names messages (LC_ALL, else LC_MESSAGES, else LANG): 'en_US.UTF-8' -> 'en'."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(name):
            return value[:2]
    return ""


def cli_language(args: argparse.Namespace | None) -> str:
    """--lang, else $JIBSA_LANG, else the locale's language when jibsa speaks it (en_US.UTF-8 -> en), else ko."""
    asked = getattr(args, "lang", None) if args is not None else None
    for choice in (asked, os.environ.get("JIBSA_LANG"), _locale_language()):
        if choice in LANGUAGES:
            return str(choice)
    return "ko"


def load_home_or_exit(path: str | None, language: str | None = None) -> LoadedHome:
    """Load the home file; on a refused file print its one-line reason (in `language`, else the
    environment's) and exit with status 2."""
    from jibsa.domain import HomeFileError
    from jibsa.home_file import load_home
    from jibsa.presentation.state_words import state_words
    from jibsa.words.home_file import describe_problem

    language = language or cli_language(None)
    try:
        loaded = load_home(path)
    except HomeFileError as exc:
        print(describe_problem(exc, language), file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    for warning in loaded.warnings:
        print(state_words(language).phrase("warning", problem=describe_problem(warning, language)), file=sys.stderr)
    return loaded


def data_dir(args: argparse.Namespace) -> Path:
    path: Path = args.data if getattr(args, "data", None) is not None else default_data_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def refused_here(refused: Exception, language: str) -> int:
    """The gate refused (a wrong PIN, too many tries): said as the server's refusal is."""
    from jibsa.api.errors import STATUS
    from jibsa.words import Said, say

    code = str(getattr(refused, "code", refused))
    message = say(Said(f"error.{code if code in STATUS else 'not_allowed'}"), "en")
    return server_refused(Exception(message), language)


def server_refused(reason: Exception, language: str) -> int:
    """Print that the server (or the gate) refused, for `reason`; the exit status of a failed command."""
    from jibsa.presentation.state_words import state_words

    print(state_words(language).phrase("server_refused", reason=reason), file=sys.stderr)
    return EXIT_FAILED
