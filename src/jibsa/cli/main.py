"""Entry point of the `jibsa` command.

Each sub-command lives in its own module exposing `register(subparsers, words)` (`words`: the help in the
reader's language); the module's handler is imported only when its command runs, so `jibsa parse` does not
pay for the web server's imports.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from jibsa import __version__
from jibsa.cli.common import cli_language
from jibsa.cli.help_words import HelpWords, WordedParser, help_language
from jibsa.redaction import install_redaction

# Each command, and the module under jibsa.cli that adds it.
COMMAND_MODULES: dict[str, str] = {
    "home": "home_cmd",
    "parse": "parse_cmd",
    "say": "say_cmd",
    "chat": "say_cmd",
    "serve": "serve_cmd",
    "simulate": "simulate_cmd",
    "status": "status_cmd",
    "user": "user_cmd",
    "rules": "rules_cmd",
    "energy": "energy_cmd",
    "hear": "voice_cmd",
    "speak": "voice_cmd",
    "voice": "voice_cmd",
    "matter": "matter_cmd",
    "provider": "provider_cmd",
}


def build_parser(command: str | None = None, language: str | None = None) -> argparse.ArgumentParser:
    """The command line parser, its help in `language` (default: the environment's): with `command`, only
    that command's module is imported (a one-shot command starts faster); without, every command (for --help)."""
    words = HelpWords(language or cli_language(None))
    parser = WordedParser(prog="jibsa", description=words("jibsa"), words=words)
    parser.add_argument("--version", action="version", version=f"jibsa {__version__}", help=words("version"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title=words("commands"))
    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else COMMAND_MODULES.values()
    for name in dict.fromkeys(wanted):
        module = importlib.import_module(f"jibsa.cli.{name}")
        module.register(subparsers, words)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    install_redaction()  # before any command logs: no credential reaches a log
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments[0] if arguments else None, help_language(arguments))
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        code: int = handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `jibsa status | head`: the reader has gone, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def run() -> NoReturn:
    """The `jibsa` command: `main`, then exit at once. Every command has closed what it opened by
    then; the interpreter's own teardown (SQLAlchemy's many objects) would cost a one-shot command
    about a quarter of its time (measured with farm-bench)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that has gone (`jibsa status | head`)
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
