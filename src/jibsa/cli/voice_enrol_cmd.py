"""`jibsa voice enroll --user NAME FILE...`, `jibsa voice voices`, `jibsa voice forget --user NAME`: the
household's enrolled voices from the command line (for households with recordings). The home's owner at
its own machine does this; each change is audited as theirs. A running server sees the change at once
(it re-reads the voices file when it changes)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_home_options, cli_language, data_dir, load_home_or_exit
from jibsa.cli.help_words import HelpWords


def register(actions: Any, words: HelpWords) -> None:
    enroll = actions.add_parser("enroll", help="enrol a person's voice from WAV recordings (1-15 s each)")
    add_home_options(enroll, words)
    enroll.add_argument("--user", required=True, metavar="NAME", help="whose voice (an account of the home)")
    enroll.add_argument("--room", help='the room they call theirs ("my room"), a room id or name')
    enroll.add_argument("files", nargs="+", type=Path, metavar="FILE.wav")
    enroll.set_defaults(handler=_enroll)
    listed = actions.add_parser("voices", help="list enrolled voices, one JSON line each")
    add_home_options(listed, words)
    listed.set_defaults(handler=_list)
    forget = actions.add_parser("forget", help="delete a person's enrolled voice")
    add_home_options(forget, words)
    forget.add_argument("--user", required=True, metavar="NAME")
    forget.set_defaults(handler=_forget)


def _said(args: argparse.Namespace, key: str, **fields: Any) -> str:
    from jibsa.words import Said, say

    return say(Said(f"voices.{key}", fields), cli_language(args))


def _open(args: argparse.Namespace, body: Any) -> int:
    """Run `body(store, voices, home)` with the home's store (no hub: nothing else of the home runs)."""
    from jibsa.app import Settings, household_voices, open_store

    loaded = load_home_or_exit(args.home)
    settings = Settings(home_file=args.home, data_dir=data_dir(args), db_url=getattr(args, "db", None))

    async def main() -> int:
        store = await open_store(settings)
        try:
            result: int = await body(store, household_voices(settings, loaded.home.id, store), loaded.home)
            return result
        finally:
            await store.close()

    return asyncio.run(main())


async def _audit(store: Any, home_id: str, action: str, detail: dict[str, Any], result: dict[str, Any]) -> None:
    import time

    from jibsa.gate import machine_owner
    from jibsa.storage.records import AuditEntry

    owner = machine_owner()
    entry = AuditEntry(time.time(), home_id, owner.person, owner.role.value, owner.source, action, detail, True, result)
    await store.append_audit(entry)


def _enroll(args: argparse.Namespace) -> int:
    from jibsa.voice.audio import read_wav
    from jibsa.voice.errors import VoiceError

    async def body(store: Any, voices: Any, home: Any) -> int:
        user = await store.get_user(home.id, args.user)
        if user is None:
            print(_said(args, "cli_no_user", name=args.user), file=sys.stderr)
            return EXIT_REFUSED
        room = home.find_room(args.room) if args.room else None
        if args.room and room is None:
            print(_said(args, "cli_no_room", room=args.room), file=sys.stderr)
            return EXIT_REFUSED
        for path in args.files:
            try:
                audio = read_wav(path.read_bytes())
                sample = await voices.add_sample(user.id, user.name, audio, room=room.id if room else None)
            except (OSError, VoiceError) as exc:
                problem = getattr(exc, "message_ko" if cli_language(args) == "ko" else "message_en", str(exc))
                print(_said(args, "cli_bad_file", file=str(path), problem=problem), file=sys.stderr)
                return EXIT_REFUSED
            detail = {"name": user.name, "sample": sample.id, "seconds": round(sample.seconds, 1), "file": path.name}
            await _audit(store, home.id, "voice_enrol", detail, {})
        enrolled = voices.voice_of(user.id)
        print(_said(args, "cli_enrolled", name=user.name, count=len(enrolled.samples) if enrolled else 0))
        return 0

    return _open(args, body)


def _list(args: argparse.Namespace) -> int:
    async def body(store: Any, voices: Any, home: Any) -> int:
        print(json.dumps({"strangers_as_guests": voices.strangers_as_guests()}))
        for voice in voices.enrolled():
            print(json.dumps({k: v for k, v in voice.to_dict().items() if k != "user_id"}, ensure_ascii=False))
        return 0

    return _open(args, body)


def _forget(args: argparse.Namespace) -> int:
    async def body(store: Any, voices: Any, home: Any) -> int:
        user = await store.get_user(home.id, args.user)
        if user is None:
            print(_said(args, "cli_no_user", name=args.user), file=sys.stderr)
            return EXIT_REFUSED
        deleted = await voices.forget(user.id)
        await _audit(store, home.id, "voice_forget", {"name": user.name}, {"deleted": deleted})
        print(_said(args, "cli_forgotten", name=user.name, count=deleted))
        return 0

    return _open(args, body)
