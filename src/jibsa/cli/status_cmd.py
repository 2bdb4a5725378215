"""`jibsa status`: every device's state, by room, readable at a glance — from the running server
when one owns the data directory, else from the home run here."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jibsa.cli.common import add_home_options, add_language_option, cli_language, data_dir
from jibsa.cli.help_words import HelpWords
from jibsa.cli.local_server import ServerGone, ServerRefused, find_server

EXIT_FAILED = 1


def register(subparsers: Any, words: HelpWords) -> None:
    status = subparsers.add_parser("status", help=words("status.command"))
    add_home_options(status, words)
    add_language_option(status, words)
    status.set_defaults(handler=_status)


def _status(args: argparse.Namespace) -> int:
    language = cli_language(args)
    server = find_server(data_dir(args), args.home, language)
    if server is not None:
        try:
            answer = server.call("GET", f"/api/local/status?lang={language}")
        except ServerGone:
            server.forget()
        except ServerRefused as exc:
            print(exc, file=sys.stderr)
            return EXIT_FAILED
        else:
            print("\n".join(answer["lines"]))
            return 0
    return _status_here(args, language)


def _status_here(args: argparse.Namespace, language: str) -> int:
    from jibsa.cli.runtime import run_with_home
    from jibsa.presentation.lines import hub_status

    async def body(running: Any) -> int:
        print("\n".join(hub_status(running.hub, language)))
        return 0

    result: int = run_with_home(args, body)
    return result
