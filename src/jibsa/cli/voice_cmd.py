"""`jibsa hear FILE.wav…` (understand spoken requests, change nothing), `jibsa speak TEXT -o OUT.wav`,
`jibsa say --audio FILE.wav` (carry a spoken request out) and `jibsa voice serve` (Wyoming)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_home_options, data_dir, load_home_or_exit
from jibsa.cli.help_words import HelpWords

DEFAULT_URI = "tcp://127.0.0.1:10300"


def register(subparsers: Any, words: HelpWords) -> None:
    hear = subparsers.add_parser("hear", help=words("hear.command"))
    add_home_options(hear, words)
    hear.add_argument("--room", help=words("common.room"))
    hear.add_argument("--lang", choices=("ko", "en"), default=None, help=words("hear.lang"))
    hear.add_argument("files", nargs="+", type=Path, metavar="FILE.wav", help=words("hear.files"))
    hear.set_defaults(handler=_hear)
    speak = subparsers.add_parser("speak", help=words("speak.command"))
    speak.add_argument("text", help=words("speak.text"))
    speak.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.wav", help=words("speak.output"))
    speak.add_argument("--lang", choices=("ko", "en"), default="ko", help=words("speak.lang"))
    speak.set_defaults(handler=_speak)
    voice = subparsers.add_parser("voice", help=words("voice.command"))
    actions = voice.add_subparsers(dest="voice_command", metavar="ACTION", required=True)
    serve = actions.add_parser("serve", help=words("voice.serve"))
    add_home_options(serve, words)
    serve.add_argument("--uri", default=DEFAULT_URI, help=words("voice.uri", uri=DEFAULT_URI))
    serve.add_argument("--room", help=words("voice.room"))
    serve.add_argument("--zeroconf", action="store_true", help=words("voice.zeroconf"))
    serve.add_argument(
        "--satellite",
        required=True,
        metavar="NAME",
        help=words("voice.satellite"),
    )
    serve.add_argument(
        "--allow",
        action="append",
        default=[],
        type=_network,
        metavar="CIDR",
        help=words("voice.allow"),
    )
    serve.set_defaults(handler=_serve)
    from jibsa.cli import voice_enrol_cmd

    voice_enrol_cmd.register(actions, words)


def _voice_service(args: argparse.Namespace, *, with_voice: bool = False) -> Any:
    from jibsa.config import ConfigError, load_adapter_settings
    from jibsa.voice.errors import VoiceError
    from jibsa.voice.service import load_voice_service, voice_settings

    directory = data_dir(args)
    try:
        settings = voice_settings(load_adapter_settings(getattr(args, "config", None), directory))
        return load_voice_service(directory, settings, with_voice=with_voice)
    except (ConfigError, VoiceError) as exc:
        print(_both(exc), file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None


def _hear(args: argparse.Namespace) -> int:
    from jibsa.nlu import Parser

    home = load_home_or_exit(args.home).home
    language = args.lang or home.language
    parser = Parser(home, language)
    service = _voice_service(args)
    failed = 0
    for path in args.files:
        line = asyncio.run(hear_file(service, parser, path, language, args.room))
        failed += "error" in line
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0


async def hear_file(service: Any, parser: Any, path: Path, language: str, room: str | None) -> dict[str, Any]:
    """`jibsa parse`'s line for what `path` says, with "file", "transcript" and "stt_ms"; a file that
    cannot be heard gets the same line with no commands and an "error"."""
    from jibsa.voice.audio import read_wav
    from jibsa.voice.errors import VoiceError

    try:
        heard = await service.hear(read_wav(_read(path)), language, parser, room)
        if not heard.recognition.heard_speech:
            raise VoiceError("no_speech")
    except VoiceError as exc:
        message = exc.message_en if language == "en" else exc.message_ko
        return {
            "text": "",
            "commands": [],
            "reply": message,
            "needs_confirmation": False,
            "file": str(path),
            "transcript": "",
            "stt_ms": 0,
            "error": exc.to_dict(),
        }
    heard_as = {
        "file": str(path),
        "transcript": heard.transcript,
        "stt_ms": round(heard.recognition.denoise_ms + heard.recognition.vad_ms + heard.recognition.stt_ms),
        "alternatives": [h.text for h in heard.recognition.alternatives],
    }
    if heard.question is not None:  # the hypotheses disagree, or the words taken are doubted: ask, carry nothing out
        return {
            "text": heard.transcript,
            "commands": [],
            "reply": heard.question,
            "needs_confirmation": False,
            "question": heard.question,
            **heard_as,
        }
    from jibsa.words.replies import understood_json

    understanding = heard.choice.understanding or parser.parse(heard.transcript, room=room)
    return {**understood_json(understanding), **heard_as}


def _read(path: Path) -> bytes:
    from jibsa.voice.errors import VoiceError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise VoiceError("not_audio") from exc


def _speak(args: argparse.Namespace) -> int:
    from jibsa.voice.errors import VoiceError
    from jibsa.voice.tts import EspeakSynthesizer

    try:
        speech = EspeakSynthesizer().synthesize(args.text, args.lang)
        args.output.write_bytes(speech.to_wav())
    except (VoiceError, OSError) as exc:
        print(_both(exc), file=sys.stderr)
        return 1
    print(f"{args.output}: {speech.seconds:.1f} s, {speech.rate} Hz, 16-bit PCM")
    return 0


def say_audio(args: argparse.Namespace) -> int:
    """`jibsa say --audio FILE.wav`: hear the file, then carry out what was said (as `jibsa say` does)."""
    from jibsa.cli.common import cli_language
    from jibsa.cli.runtime import run_with_home
    from jibsa.presentation.lines import turn_lines

    if args.audio is None:
        print(_said(args, "voice_needs_text"), file=sys.stderr)
        return EXIT_REFUSED
    service = _voice_service(args)

    async def body(running: Any) -> int:
        language = args.lang or running.home.language  # the language spoken in the recording
        line = await hear_file(service, running.conversation.parser, args.audio, language, args.room)
        if "error" in line:
            print(line["reply"], file=sys.stderr)
            return 1
        print(f"🎤 {line['transcript']}")
        if "question" in line:
            print(line["question"])
            return 0
        from jibsa.cli.common import refused_here
        from jibsa.gate import GateRefused, machine_owner

        try:
            turn = await running.gate.say(
                machine_owner(), line["transcript"], room=args.room, confirm=args.yes, pin=args.pin
            )
        except GateRefused as refused:
            return refused_here(refused, cli_language(args))
        print("\n".join(turn_lines(running.hub.home, turn.to_dict(), cli_language(args), running.hub.timezone)))
        return 0

    result: int = run_with_home(args, body)
    return result


def _network(text: str) -> Any:
    import ipaddress

    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an address or network (e.g. 192.168.0.0/24)") from None


def _serve(args: argparse.Namespace) -> int:
    from jibsa.cli.local_server import find_server
    from jibsa.cli.runtime import run_with_home
    from jibsa.voice.wyoming_server import NotLoopback, check_bind, serve_wyoming

    try:
        check_bind(args.uri, args.allow)
    except NotLoopback:
        print(_said(args, "voice_not_loopback", uri=args.uri), file=sys.stderr)
        return EXIT_REFUSED
    server = find_server(data_dir(args), args.home)
    if server is not None:  # one home state: a second hub would fire every timer and rule twice
        print(_said(args, "voice_server_running", url=server.url), file=sys.stderr)
        return EXIT_REFUSED
    service = _voice_service(args, with_voice=True)

    async def body(running: Any) -> int:
        satellite = await satellite_principal(running, args.satellite)
        if satellite is None:
            make = f"jibsa user add {args.satellite} --role satellite"
            print(_said(args, "satellite_missing", name=args.satellite, command=make), file=sys.stderr)
            return EXIT_REFUSED
        await serve_wyoming(
            service,
            running.gate,
            satellite,
            args.uri,
            room=args.room,
            zeroconf=args.zeroconf,
            allow=args.allow,
            voices=running.voices,
        )
        return 0

    result: int = run_with_home(args, body)
    return result


async def satellite_principal(running: Any, name: str) -> Any:
    """The gate's principal for the satellite account `name` (its own role), or None when there is none."""
    from jibsa.api.accounts import role_of
    from jibsa.gate import Principal, Via

    user = await running.store.get_user(running.hub.home.id, name)
    if user is None:
        return None
    return Principal(user.name, role_of(user), Via.WYOMING, key=f"satellite:{user.id}")


def _said(args: argparse.Namespace, key: str, **fields: object) -> str:
    """One of the CLI's sentences (words' `state.cli`) in the language asked for."""
    from jibsa.cli.common import cli_language
    from jibsa.words import Said, say

    return say(Said(f"state.cli.{key}", fields), cli_language(args))


def _both(exc: Exception) -> str:
    korean = getattr(exc, "message_ko", None)
    return f"{korean} / {exc}" if korean else str(exc)
