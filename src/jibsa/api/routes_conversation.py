"""`POST /api/conversation`: understand a sentence, carry it out, reply — and tell the WebSocket."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request

from jibsa.api.audit import record
from jibsa.api.auth import Principal, anyone
from jibsa.api.confirmation import is_confirmed
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError
from jibsa.api.events import ConversationHandled, JobsChanged
from jibsa.api.schemas import ERROR_RESPONSES, ConversationRequest, ConversationResponse
from jibsa.conversation import CONFIRM_WORDS, Turn
from jibsa.domain import Role

router = APIRouter(prefix="/api", tags=["conversation"], responses=ERROR_RESPONSES)
CONFIRM_KEY = "conversation"
_JOB_INTENTS = frozenset({"set_timer", "cancel_timer", "cancel"})
_PUNCTUATION = re.compile(r"[\s.,!?~…]+")


@router.post("/conversation", response_model=ConversationResponse, summary="Say something to the home")
async def converse(body: ConversationRequest, request: Request,
                   principal: Principal = Depends(anyone)) -> dict[str, Any]:  # noqa: B008
    """Understand `text` and carry it out. Unlocking a door answers `needs_confirmation: true`; a
    following "응" in the same session, or the request again with `confirm: true` (and the PIN when
    the home has one), carries it out."""
    context = api_context(request)
    body = body.model_copy(update={"room": _room_id(context, body.room)})
    conversation = context.running.conversation
    session = f"{principal.user_key}:{body.session}" if body.session else None
    if principal.role is Role.GUEST:
        _refuse_automations(context, body)
    confirmed = False
    if body.confirm:
        confirmed = await is_confirmed(context, principal, CONFIRM_KEY, True, body.pin)
    elif _is_bare_yes(body.text) and context.auth.unlock_pin_hash and context.gate.waiting(principal.user_key,
                                                                                           CONFIRM_KEY):
        raise ApiError("wrong_pin")  # with a PIN set, "응" alone does not open the door
    turn = await conversation.handle(body.text, room=body.room, session=session, actor=principal.actor("conversation"),
                                     confirmed=confirmed)
    if turn.needs_confirmation:
        context.gate.ask(principal.user_key, CONFIRM_KEY)
    answer = turn.to_dict()
    await _tell(context, principal, body, turn, answer)
    return answer


def _room_id(context: ApiContext, room: str | None) -> str | None:
    """The id of the room the request names (by id, name or alias); an unknown room is an error, never
    "no room" (which would let "불 꺼" reach every light in the home)."""
    if room is None:
        return None
    home = context.running.hub.home
    if home.room(room) is not None:
        return room
    wanted = room.strip().casefold()
    for candidate in home.rooms:
        if wanted in (name.casefold() for name in candidate.names):
            return candidate.id
    raise ApiError("unknown_room", {"room": room, "rooms": [r.id for r in home.rooms]})


def _refuse_automations(context: ApiContext, body: ConversationRequest) -> None:
    """Guests may not set up repeating schedules ("매일 7시에 …"): those are the home's automations."""
    understanding = context.running.conversation.parser.parse(body.text, room=body.room)
    if any("repeat" in c.params for c in understanding.commands):
        raise ApiError("not_allowed", {"reason": "guests may not set up repeating schedules"})


def _is_bare_yes(text: str) -> bool:
    return _PUNCTUATION.sub("", text.strip().lower()) in CONFIRM_WORDS


async def _tell(context: ApiContext, principal: Principal, body: ConversationRequest, turn: Turn,
                answer: dict[str, Any]) -> None:
    """Record the turn in the audit log and publish it for the WebSocket's listeners."""
    ok = all(o.ok for o in turn.outcomes)
    summary = {k: answer[k] for k in ("commands", "reply", "needs_confirmation", "results")}
    detail = {"text": body.text, "room": body.room, "session": body.session}
    await record(context, principal, "conversation", detail, ok=ok, result=summary)
    bus = context.running.hub.bus
    bus.publish(ConversationHandled(principal.name, body.text, summary))
    if any(o.scheduled is not None or o.command.intent in _JOB_INTENTS for o in turn.outcomes):
        bus.publish(JobsChanged("conversation"))
