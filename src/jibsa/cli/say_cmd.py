"""`jibsa say "거실 불 꺼줘"` and `jibsa chat`: talk to the home."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import add_home_options, data_dir


def register(subparsers: Any) -> None:
    say = subparsers.add_parser("say", help="say one sentence to the home and carry it out")
    add_home_options(say)
    say.add_argument("--room", help="the room the request comes from (a room id)")
    say.add_argument("--yes", action="store_true", help="confirm what needs confirming (unlocking a door)")
    say.add_argument("--json", action="store_true", help="print the whole turn as JSON")
    say.add_argument("text", nargs="?", help='what you say, e.g. "거실 불 꺼줘"')
    say.add_argument("--audio", type=Path, metavar="FILE.wav", help="say it with a recording instead (jibsa.voice)")
    say.set_defaults(handler=_say)
    chat = subparsers.add_parser("chat", help="talk to the home interactively (Ctrl-D to leave)")
    add_home_options(chat)
    chat.add_argument("--room", help="the room you are in (a room id)")
    chat.set_defaults(handler=_chat)


def _say(args: argparse.Namespace) -> int:
    from jibsa.cli.runtime import run_with_home
    from jibsa.cli.turn_printer import print_turn

    if args.audio is not None or args.text is None:
        from jibsa.cli.voice_cmd import say_audio

        return say_audio(args)

    async def body(running: Any) -> int:
        turn = await running.conversation.handle(args.text, room=args.room, confirmed=args.yes)
        if args.json:
            import json

            print(json.dumps(turn.to_dict(), ensure_ascii=False, indent=2))
        else:
            print_turn(running.home, turn)
            if turn.needs_confirmation:
                print("  (확인하려면 --yes 를 붙여 다시 말씀해 주세요 / add --yes to confirm)")
        return 0

    result: int = run_with_home(args, body)
    return result


def _chat(args: argparse.Namespace) -> int:
    from jibsa.cli.runtime import run_with_home
    from jibsa.cli.turn_printer import announce, print_turn

    history = _enable_history(data_dir(args) / "chat_history")

    async def body(running: Any) -> int:
        import asyncio

        print(f"{running.home.name} — 무엇을 도와드릴까요? (나가려면 Ctrl-D)")
        running.hub.bus.listen(lambda event: announce(running.home, event))
        while True:
            try:
                text = await asyncio.to_thread(input, "> ")
            except EOFError:
                print()
                break
            if not text.strip():
                continue
            turn = await running.conversation.handle(text, room=args.room, session="chat")
            print_turn(running.home, turn)
        return 0

    try:
        result: int = run_with_home(args, body)
    finally:
        history()
    return result


def _enable_history(path: Path) -> Any:
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
            print(f"could not save chat history: {exc}", file=sys.stderr)

    return save
