"""`jibsa home check FILE` and `jibsa home init PATH`, in the chosen language (--lang)."""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_language_option, cli_language
from jibsa.cli.help_words import HelpWords


def register(subparsers: Any, words: HelpWords) -> None:
    home = subparsers.add_parser("home", help=words("home.command"))
    sub = home.add_subparsers(dest="home_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help=words("home.check"))
    check.add_argument("file", help=words("home.file"))
    add_language_option(check, words)
    check.set_defaults(handler=_check)
    init = sub.add_parser("init", help=words("home.init"))
    init.add_argument("path", help=words("home.path"))
    init.add_argument("--force", action="store_true", help=words("home.force"))
    add_language_option(init, words)
    init.set_defaults(handler=_init)


def _check(args: argparse.Namespace) -> int:
    """One line: the file is fine (with its counts), or the file, field path and problem."""
    from jibsa.domain import HomeFileError
    from jibsa.home_file import load_home
    from jibsa.presentation.state_words import state_words
    from jibsa.words.home_file import describe_problem

    language = cli_language(args)
    words = state_words(language)
    try:
        loaded = load_home(args.file)
    except HomeFileError as exc:
        print(describe_problem(exc, language))
        return EXIT_REFUSED
    for warning in loaded.warnings:
        print(words.phrase("warning", problem=describe_problem(warning, language)), file=sys.stderr)
    home = loaded.home
    print(
        words.phrase(
            "check_ok",
            file=args.file,
            home=home.name,
            rooms=len(home.rooms),
            devices=len(home.devices),
            scenes=len(home.scenes),
        )
    )
    return 0


def _init(args: argparse.Namespace) -> int:
    from jibsa.home_file import sample_home_text
    from jibsa.presentation.state_words import state_words

    words = state_words(cli_language(args))
    path = Path(args.path)
    if path.exists() and not args.force:
        print(words.phrase("init_exists", path=path), file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    home_id = new_home_id(path)
    text, replaced = re.subn(r"^id: sample$", f"id: {home_id}", sample_home_text(), count=1, flags=re.M)
    assert replaced == 1, "the sample home names its id on a line of its own"
    path.write_text(text, encoding="utf-8")
    print(words.phrase("init_written", path=path))
    print(words.phrase("init_id", id=home_id))
    return 0


def new_home_id(path: Path) -> str:
    """An id for a copy of the sample home: from the file's name ("my-home.yaml" -> "my_home"), never the
    sample's own, so that the copy's state is its own and not the sample home's (a server's, often)."""
    stem = re.sub(r"[^a-z0-9_]+", "_", path.stem.lower()).strip("_")
    return stem if stem and stem != "sample" else f"home_{secrets.token_hex(3)}"
