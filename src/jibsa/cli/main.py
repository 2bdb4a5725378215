"""Entry point of the `jibsa` command.

Each sub-command lives in its own module exposing `register(subparsers)`; the module's handler is
imported only when its command runs, so `jibsa parse` does not pay for the web server's imports.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from jibsa import __version__

# Modules under jibsa.cli, each adding its sub-commands.
COMMAND_MODULES: tuple[str, ...] = (
    "home_cmd",
    "parse_cmd",
    "rules_cmd",
    "say_cmd",
    "serve_cmd",
    "simulate_cmd",
    "status_cmd",
    "user_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jibsa", description="jibsa (집사): a home assistant that speaks Korean")
    parser.add_argument("--version", action="version", version=f"jibsa {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"jibsa.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        code: int = handler(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
