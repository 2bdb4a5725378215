"""`jibsa parse`: requests in, one JSON line of commands out per request (contract section 5)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any, Protocol

from jibsa.cli.common import add_home_options, load_home_or_exit
from jibsa.cli.help_words import HelpWords
from jibsa.nlu.replies import refusal
from jibsa.words.replies import refused_json, sentence, understood_json


class _Understands(Protocol):
    def parse(self, text: str, room: str | None = None, session: str | None = None) -> Any: ...


def register(subparsers: Any, words: HelpWords) -> None:
    parse = subparsers.add_parser("parse", help=words("parse.command"))
    add_home_options(parse, words, data=False)
    parse.add_argument("--room", default=None, help=words("common.room"))
    parse.add_argument("--lang", choices=("ko", "en"), default=None, help=words("parse.lang"))
    parse.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from jibsa.nlu import Parser

    home = load_home_or_exit(args.home).home
    language = args.lang or home.language
    parser = Parser(home, language)
    serve(parser, sys.stdin.buffer, sys.stdout, args.room, language)
    return 0


def serve(parser: _Understands, stdin: IO[bytes], stdout: IO[str], room: str | None, language: str) -> None:
    """Answer every line of `stdin` with one JSON line on `stdout`, flushed as each is done."""
    for raw in stdin:
        stdout.write(json.dumps(answer_line(parser, raw, room, language), ensure_ascii=False) + "\n")
        stdout.flush()


def answer_line(parser: _Understands, raw: bytes, room: str | None, language: str) -> dict[str, Any]:
    """The answer to one input line; never raises on what the line holds."""
    line = raw.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    text, line_room, session = line, room, None
    if line.startswith("{"):
        try:
            request = json.loads(line)
        except ValueError:
            return _refused(line, "bad_request", language)
        if not isinstance(request, dict):
            return _refused(line, "bad_request", language)
        text = request["text"] if isinstance(request.get("text"), str) else ""
        if request.get("room") is not None and not isinstance(request["room"], str):
            return _refused(text, "unknown_room", language)  # a room must be a room id: never "no room"
        line_room = request["room"] if isinstance(request.get("room"), str) else room
        session = str(request["session"]) if request.get("session") is not None else None
    try:
        result = understood_json(parser.parse(text, room=line_room, session=session))
    except Exception as exc:
        print(f"jibsa parse: {type(exc).__name__}: {exc}", file=sys.stderr)
        return _refused(text, "failed", language)
    return result


def _refused(text: str, code: str, language: str) -> dict[str, Any]:
    """The line for a request that was not understood, with the usual fields and an `error`."""
    said = refusal(code)
    reply = sentence(said, language)
    return {
        "text": text,
        "commands": [],
        "reply": reply,
        "needs_confirmation": False,
        "error": refused_json(code, said),
    }
