"""`jibsa rules check FILE` and `jibsa rules import FILE`: rules written by hand (docs/rules.md)."""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import replace
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_home_options, load_home_or_exit
from jibsa.cli.help_words import HelpWords
from jibsa.rules.model import RuleFormatError


def register(subparsers: Any, words: HelpWords) -> None:
    rules = subparsers.add_parser("rules", help=words("rules.command"))
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help=words("rules.check"))
    check.add_argument("file", help=words("rules.file"))
    add_home_options(check, words, data=False)
    check.set_defaults(handler=_check)
    load = sub.add_parser("import", help=words("rules.import"))
    load.add_argument("file", help=words("rules.file"))
    add_home_options(load, words)
    load.set_defaults(handler=_import)


def _read(args: argparse.Namespace) -> list[Any] | None:
    from jibsa.rules.file import load_rules_file

    home = load_home_or_exit(args.home).home
    try:
        return load_rules_file(args.file, home)
    except RuleFormatError as exc:
        print(exc)
        return None


def _check(args: argparse.Namespace) -> int:
    rules = _read(args)
    if rules is None:
        return EXIT_REFUSED
    print(f"{args.file}: ok: {len(rules)} rules")
    return 0


def _import(args: argparse.Namespace) -> int:
    """Into the running server when one owns the data directory (the rules take effect at once), else
    into the store directly."""
    from jibsa.cli.common import data_dir
    from jibsa.cli.local_server import ServerGone, ServerRefused, find_server
    from jibsa.cli.runtime import run_with_home

    rules = _read(args)
    if rules is None:
        return EXIT_REFUSED
    # The same name again replaces the rule the file made before.
    named = [
        replace(
            rule,
            id="file-" + hashlib.sha1(rule.name.encode()).hexdigest()[:10],
            created_by=rule.created_by or "rules-file",
        )
        for rule in rules
    ]
    server = find_server(data_dir(args), args.home)
    if server is not None:
        try:
            server.call("POST", "/api/local/rules", {"rules": [rule.to_dict() for rule in named]})
        except ServerGone:
            server.forget()
        except ServerRefused as exc:
            print(f"{args.file}: {exc}")
            return EXIT_REFUSED
        else:
            print(f"{args.file}: imported {len(rules)} rules into the running server")
            return 0

    async def body(running: Any) -> int:
        for rule in named:
            await running.rules.add(rule)
        print(f"{args.file}: imported {len(rules)} rules")
        return 0

    result: int = run_with_home(args, body)
    return result
