"""The local-control endpoint: `jibsa say`, `chat` and `status` on the server's own machine talk to
the running home here, so there is one home state. The credential is a token the server wrote to
`server.json` in its data directory (mode 0600): whoever can read it owns the data directory, and
could open the home's database directly anyway. It acts as the local owner, as the CLI always has.

The answers are the lines the CLI prints, rendered here with the home as the server has it."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from jibsa.api.context import api_context
from jibsa.api.errors import ApiError, refused_by_gate
from jibsa.gate import GateRefused, machine_owner
from jibsa.presentation.lines import hub_status, turn_lines
from jibsa.presentation.state_words import LANGUAGES
from jibsa.rules.model import RuleFormatError
from jibsa.rules.schema import read_rule

router = APIRouter(prefix="/api/local", include_in_schema=False)
TOKEN_HEADER = "X-Jibsa-Local-Token"  # the same as jibsa.cli.local_server's


def local_owner(request: Request) -> None:
    """Only a request carrying the token of `server.json` passes."""
    expected: str | None = getattr(request.app.state, "local_token", None)
    sent = request.headers.get(TOKEN_HEADER, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError("not_authenticated")


class LocalSay(BaseModel):
    text: str = Field(max_length=10_000)
    room: str | None = None
    session: str | None = None
    confirm: bool = False
    pin: str | None = Field(default=None, max_length=100)
    lang: str = "ko"


@router.post("/say", dependencies=[Depends(local_owner)])
async def local_say(body: LocalSay, request: Request) -> dict[str, Any]:
    """Carry out one sentence; answer with the turn and the lines to print."""
    if not body.text.strip():
        raise ApiError("invalid_request", {"text": "empty"})
    running = api_context(request).running
    try:
        turn = await running.gate.say(
            machine_owner(body.session),
            body.text,
            room=body.room,
            confirm=body.confirm,
            pin=body.pin,
            detail={"via": "say"},
        )
    except GateRefused as refused:
        raise refused_by_gate(refused) from None
    answer = turn.to_dict()
    # The lines follow the reply: in the language the person spoke (the chat's own language otherwise).
    language = next((lang for lang in (turn.language, body.lang) if lang in LANGUAGES), "ko")
    lines = turn_lines(running.hub.home, answer, language, running.hub.timezone, in_chat=body.session is not None)
    return {"turn": answer, "lines": lines}


@router.get("/status", dependencies=[Depends(local_owner)])
async def local_status(request: Request, lang: str = "ko") -> dict[str, Any]:
    """Every device's state, by room, as the lines `jibsa status` prints."""
    hub = api_context(request).running.hub
    return {"home": hub.home.name, "lines": hub_status(hub, lang if lang in LANGUAGES else "ko")}


class LocalRules(BaseModel):
    rules: list[dict[str, Any]] = Field(max_length=1000)  # the JSON form, each with its id


@router.post("/rules", dependencies=[Depends(local_owner)])
async def local_rules(body: LocalRules, request: Request) -> dict[str, Any]:
    """`jibsa rules import` while the server runs: the rules are checked against the home as the server
    has it and take effect now, without a restart."""
    running = api_context(request).running
    if running.rules is None:
        raise ApiError("not_found", {"reason": "rules need a store that keeps them"})
    try:
        rules = [
            read_rule(data, running.hub.home, f"rules[{i}]", running.rules.kinds) for i, data in enumerate(body.rules)
        ]
    except RuleFormatError as exc:
        raise ApiError("bad_rule", {"problem": str(exc)}) from None
    for rule in rules:
        await running.rules.add(rule)
    return {"imported": len(rules)}
