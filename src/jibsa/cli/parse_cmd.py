"""`jibsa parse`: requests in, one JSON line of commands out per request (contract section 5)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any, Protocol

from jibsa.cli.common import add_home_options, load_home_or_exit

_BAD_JSON_REPLY = {
    "ko": "요청을 읽지 못했어요. JSON 형식이 올바르지 않아요.",
    "en": "I couldn't read that request: it is not valid JSON.",
}
_ERROR_REPLY = {"ko": "요청을 처리하지 못했어요.", "en": "I couldn't handle that request."}


class _Understands(Protocol):
    def parse(self, text: str, room: str | None = None, session: str | None = None) -> Any: ...


def register(subparsers: Any) -> None:
    parse = subparsers.add_parser("parse", help="understand requests from stdin, one JSON line out per line in")
    add_home_options(parse, data=False)
    parse.add_argument("--room", default=None, help="the room requests come from (a room id)")
    parse.add_argument("--lang", choices=("ko", "en"), default=None, help="reply language (default: the home's)")
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
            return _empty(line, _BAD_JSON_REPLY[language])
        if not isinstance(request, dict):
            return _empty(line, _BAD_JSON_REPLY[language])
        text = request["text"] if isinstance(request.get("text"), str) else ""
        line_room = request["room"] if isinstance(request.get("room"), str) else room
        session = str(request["session"]) if request.get("session") is not None else None
    try:
        result: dict[str, Any] = parser.parse(text, room=line_room, session=session).to_json()
    except Exception as exc:
        print(f"jibsa parse: {type(exc).__name__}: {exc}", file=sys.stderr)
        return _empty(text, _ERROR_REPLY[language])
    return result


def _empty(text: str, reply: str) -> dict[str, Any]:
    return {"text": text, "commands": [], "reply": reply, "needs_confirmation": False}
