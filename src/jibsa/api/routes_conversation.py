"""`POST /api/conversation`: understand a sentence, carry it out, reply — and tell the WebSocket."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError, refused_by_gate
from jibsa.api.events import ConversationHandled, JobsChanged
from jibsa.api.schemas import ERROR_RESPONSES, ConversationRequest, ConversationResponse
from jibsa.domain.intents import IntentSpec
from jibsa.gate import GateRefused, Turn, Via

router = APIRouter(prefix="/api", tags=["conversation"], responses=ERROR_RESPONSES)
PIN_REFUSALS = frozenset({"wrong_pin", "pin_required", "too_many_requests"})


@router.post("/conversation", response_model=ConversationResponse, summary="Say something to the home")
async def converse(body: ConversationRequest, request: Request, principal: Principal = Depends(anyone)) -> JSONResponse:
    """Understand `text` and carry it out. Unlocking a door answers `needs_confirmation: true`; a
    following "응" in the same session, or the same request again with `confirm: true` (with the PIN
    when the home has one), carries it out."""
    context = api_context(request)
    room = room_id(context, body.room)
    try:
        turn = await context.running.gate.say(
            principal.at(Via.HTTP, body.session),
            body.text,
            room=room,
            confirm=bool(body.confirm),
            pin=body.pin,
            detail={"session": body.session},
        )
    except GateRefused as refused:
        raise refused_by_gate(refused) from None
    # The answer is `ConversationResponse` by construction (Turn.answer): sent as it is, not validated again.
    return JSONResponse(told(context, principal, turn, body.text))


def room_id(context: ApiContext, room: str | None) -> str | None:
    """The id of the room the request names (by id, name or alias); an unknown room is an error, never
    "no room" (which would let "불 꺼" reach every light in the home)."""
    if room is None:
        return None
    home = context.running.hub.home
    found = home.find_room(room)
    if found is not None:
        return found.id
    raise ApiError("unknown_room", {"room": room, "rooms": [r.id for r in home.rooms]})


def told(context: ApiContext, principal: Principal, turn: Turn, text: str) -> dict[str, Any]:
    """A turn the gate carried out and audited, however it was said (typed, spoken): published for the
    WebSocket's listeners (and the jobs list, when it changed it), and answered (`Turn.answer`) — or,
    when the person may not ask for it, refused as `not_allowed` (already audited)."""
    answer = turn.answer()
    bus = context.running.hub.bus
    bus.publish(ConversationHandled(principal.name, text, answer))
    intents = context.running.hub.intents
    if any(o.scheduled is not None or _changes_jobs(intents.get(o.command.intent)) for o in turn.outcomes):
        bus.publish(JobsChanged("conversation"))
    if turn.refused in PIN_REFUSALS:  # said by a spoken entrance: the PIN was wrong, or the home has none
        raise ApiError(str(turn.refused), audited=True)
    if turn.refused is not None:
        raise ApiError("not_allowed", {"reason": turn.refused}, audited=True)
    return answer


def _changes_jobs(spec: IntentSpec | None) -> bool:
    return spec is not None and spec.changes_jobs
