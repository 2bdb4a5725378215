"""`jibsa say "거실 불 꺼줘"` and `jibsa chat`: talk to the home.

When a `jibsa serve` owns the data directory, both ask it (`local_server`); otherwise they run the
home themselves. Either way the lines printed are the same."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jibsa.cli.common import (
    EXIT_REFUSED,
    add_home_options,
    add_language_option,
    cli_language,
    data_dir,
    refused_here,
    server_refused,
)
from jibsa.cli.gateway_say import add_gateway_options, say_through_gateway
from jibsa.cli.help_words import HelpWords
from jibsa.cli.local_server import LocalServer, ServerGone, ServerRefused, find_server


def register(subparsers: Any, words: HelpWords) -> None:
    say = subparsers.add_parser("say", help=words("say.command"))
    add_home_options(say, words)
    add_language_option(say, words)
    say.add_argument("--room", help=words("common.room"))
    say.add_argument("--yes", action="store_true", help=words("say.yes"))
    say.add_argument("--pin", help=words("say.pin"))
    say.add_argument("--json", action="store_true", help=words("say.json"))
    say.add_argument("text", nargs="?", help=words("say.text"))
    say.add_argument("--audio", type=Path, metavar="FILE.wav", help=words("say.audio"))
    add_gateway_options(say, words)
    say.set_defaults(handler=_say)
    chat = subparsers.add_parser("chat", help=words("chat.command"))
    add_home_options(chat, words)
    add_language_option(chat, words)
    chat.add_argument("--room", help=words("chat.room"))
    chat.set_defaults(handler=_chat)


def _say(args: argparse.Namespace) -> int:
    language = cli_language(args)
    if args.audio is not None:
        from jibsa.cli.voice_cmd import say_audio

        return say_audio(args)
    if args.text is None or not args.text.strip():
        from jibsa.presentation.state_words import state_words

        print(state_words(language).phrase("empty_request"), file=sys.stderr)
        return EXIT_REFUSED
    if args.home_id is not None:
        return say_through_gateway(args, language)
    if not _room_known(args, language):
        return EXIT_REFUSED
    request = {"text": args.text, "room": args.room, "confirm": args.yes, "pin": args.pin, "lang": language}
    server = find_server(data_dir(args), args.home, language)
    if server is not None:
        try:
            answer = server.call("POST", "/api/local/say", request)
        except ServerGone:
            server.forget()
        except ServerRefused as exc:
            return server_refused(exc, language)
        else:
            _print_answer(answer, args.json)
            return 0
    return _say_here(args, language)


def _room_known(args: argparse.Namespace, language: str) -> bool:
    """Whether `--room` names a room of the home (by id, name or alias; its id is kept); if not, says so. A room
    the home lacks is refused, never read as "no room" (which would let "불 꺼" reach every light)."""
    if args.room is None:
        return True
    from jibsa.cli.common import load_home_or_exit
    from jibsa.nlu.replies import refusal
    from jibsa.words.replies import sentence

    home = load_home_or_exit(args.home, language).home
    wanted = args.room.strip().casefold()
    for room in home.rooms:
        if wanted == room.id.casefold() or wanted in (name.casefold() for name in room.names):
            args.room = room.id  # "거실" and "living room" name the room whose id the parser reads
            return True
    rooms = ", ".join(room.id for room in home.rooms)
    print(f"{sentence(refusal('unknown_room'), language)} (--room {args.room}: {rooms})", file=sys.stderr)
    return False


def _say_here(args: argparse.Namespace, language: str) -> int:
    from jibsa.cli.runtime import run_with_home
    from jibsa.presentation.lines import turn_lines

    async def body(running: Any) -> int:
        from jibsa.gate import GateRefused, machine_owner

        try:
            said = await running.gate.say(machine_owner(), args.text, room=args.room, confirm=args.yes, pin=args.pin)
        except GateRefused as refused:
            return refused_here(refused, language)
        turn = said.to_dict()  # its lines in the language it was said in, as its reply is
        _print_answer(
            {"turn": turn, "lines": turn_lines(running.hub.home, turn, said.language, running.hub.timezone)}, args.json
        )
        return 0

    result: int = run_with_home(args, body)
    return result


def _print_answer(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer["turn"], ensure_ascii=False, indent=2))
    else:
        print("\n".join(answer["lines"]), flush=True)


def _chat(args: argparse.Namespace) -> int:
    language = cli_language(args)
    if not _room_known(args, language):
        return EXIT_REFUSED
    directory = data_dir(args)
    history = _enable_history(directory / "chat_history", language)
    try:
        server = find_server(directory, args.home, language)
        if server is not None and _chat_with_server(server, args, language):
            return 0
        return _chat_here(args, language)
    finally:
        history()


def _chat_with_server(server: LocalServer, args: argparse.Namespace, language: str) -> bool:
    """Chat through the running server; False when it is gone before the chat begins."""
    from jibsa.presentation.state_words import state_words

    words = state_words(language)
    try:
        home = server.call("GET", f"/api/local/status?lang={language}")["home"]
    except ServerGone:
        server.forget()
        return False
    print(words.phrase("chat_greeting", home=home))
    session = f"chat-{os.getpid()}"
    for text in _sentences():
        request = {"text": text, "room": args.room, "session": session, "lang": language}
        try:
            _print_answer(server.call("POST", "/api/local/say", request), as_json=False)
        except ServerGone as exc:
            print(words.phrase("server_unreachable", url=server.url, reason=exc), file=sys.stderr)
            break
        except ServerRefused as exc:
            server_refused(exc, language)
    return True


def _chat_here(args: argparse.Namespace, language: str) -> int:
    from jibsa.cli.runtime import run_with_home
    from jibsa.presentation.lines import turn_lines
    from jibsa.presentation.state_words import state_words

    async def body(running: Any) -> int:
        import asyncio

        from jibsa.cli.announcements import announcer
        from jibsa.gate import GateRefused, machine_owner

        print(state_words(language).phrase("chat_greeting", home=running.home.name))
        running.hub.bus.listen(announcer(running.hub, language))
        while True:
            try:
                text = await asyncio.to_thread(input, "> ")
            except EOFError:
                print()
                break
            if not text.strip():
                continue
            try:
                said = await running.gate.say(machine_owner("chat"), text, room=args.room)
            except GateRefused as refused:
                refused_here(refused, language)
                continue
            turn = said.to_dict()
            lines = turn_lines(running.hub.home, turn, said.language, running.hub.timezone, in_chat=True)
            print("\n".join(lines), flush=True)
        return 0

    result: int = run_with_home(args, body)
    return result


def _sentences() -> Any:
    """What is typed, a line at a time, blank lines skipped, until end of input."""
    while True:
        try:
            text = input("> ")
        except EOFError:
            print()
            return
        if text.strip():
            yield text


def _enable_history(path: Path, language: str) -> Callable[[], None]:
    """Arrow-key history across chats, where the platform has readline."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows
        return lambda: None
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(path)
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError as exc:
            from jibsa.presentation.state_words import state_words

            print(state_words(language).phrase("history_not_saved", reason=exc.strerror), file=sys.stderr)

    return save
