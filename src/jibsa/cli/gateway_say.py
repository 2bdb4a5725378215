"""`jibsa say --home-id HOME "…"`: one sentence to one home of a provider, through its gateway.

The gateway takes the home from the token, never from what the client says: `--home-id` chooses which
token to send (from `--token`, or the `home id<TAB>token` file `jibsa provider homes import --tokens`
writes), and the token's home is checked against it before anything is said."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

EXIT_FAILED = 1
DEFAULT_GATEWAY = "http://127.0.0.1:8480"


def add_gateway_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home-id", help="a provider's home: say it through the gateway (docs/provider.md)")
    parser.add_argument(
        "--gateway", default=os.environ.get("JIBSA_PROVIDER_GATEWAY", DEFAULT_GATEWAY), help="the gateway's address"
    )
    parser.add_argument("--token", default=os.environ.get("JIBSA_TOKEN"), help="an access token of that home")
    parser.add_argument("--tokens", type=Path, help="a file of 'home id<TAB>token' lines to take the token from")


def say_through_gateway(args: argparse.Namespace, language: str) -> int:
    import httpx  # here: a `jibsa say` to the home on this machine does not pay for it

    from jibsa.presentation.state_words import state_words

    words = state_words(language)
    token = args.token or _token_from_file(args.tokens, args.home_id)
    if not token:
        print(words.phrase("gateway_no_token", home=args.home_id), file=sys.stderr)
        return EXIT_FAILED
    headers = {"Authorization": f"Bearer {token}"}
    body = {"text": args.text, "confirm": bool(args.yes), **({"room": args.room} if args.room else {})}
    try:
        with httpx.Client(base_url=args.gateway, headers=headers, timeout=15) as client:
            me = client.get("/api/me")
            if me.status_code != 200:
                return _refused(me, language)
            if me.json()["home"] != args.home_id:
                print(words.phrase("gateway_other_home", home=me.json()["home"], wanted=args.home_id), file=sys.stderr)
                return EXIT_FAILED
            answer = client.post("/api/say", json=body)
    except httpx.HTTPError as error:
        print(words.phrase("gateway_unreachable", url=args.gateway, reason=error), file=sys.stderr)
        return EXIT_FAILED
    if answer.status_code != 200:
        return _refused(answer, language)
    turn: dict[str, Any] = answer.json()
    print(json.dumps(turn, ensure_ascii=False, indent=2) if args.json else turn.get("reply", ""), flush=True)
    return 0


def _token_from_file(file: Path | None, home_id: str) -> str | None:
    if file is None:
        return None
    for line in file.read_text(encoding="utf-8").splitlines():
        home, _, token = line.partition("\t")
        if home == home_id and token:
            return token
    return None


def _refused(response: httpx.Response, language: str) -> int:
    try:
        body = response.json()
        message = body["message_en" if language == "en" else "message"]
    except (ValueError, KeyError, TypeError):
        message = f"HTTP {response.status_code}"
    print(message, file=sys.stderr)
    return EXIT_FAILED
