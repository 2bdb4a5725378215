"""`POST /api/conversation`: understand a sentence, carry it out, reply — and tell the WebSocket."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from jibsa.api.audit import record
from jibsa.api.auth import Principal, anyone
from jibsa.api.confirmation import pin_confirms
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError
from jibsa.api.events import ConversationHandled, JobsChanged
from jibsa.api.schemas import ERROR_RESPONSES, ConversationRequest, ConversationResponse
from jibsa.confirmations import Answer, answer_in
from jibsa.conversation import Turn
from jibsa.domain.intents import IntentSpec

router = APIRouter(prefix="/api", tags=["conversation"], responses=ERROR_RESPONSES)


@router.post("/conversation", response_model=ConversationResponse, summary="Say something to the home")
async def converse(body: ConversationRequest, request: Request,
                   principal: Principal = Depends(anyone)) -> JSONResponse:
    """Understand `text` and carry it out. Unlocking a door answers `needs_confirmation: true`; a
    following "응" in the same session, or the same request again with `confirm: true` (with the PIN
    when the home has one), carries it out."""
    context = api_context(request)
    body = body.model_copy(update={"room": room_id(context, body.room)})
    conversation = context.running.conversation
    session = f"{principal.user_key}:{body.session}" if body.session else None
    actor = principal.actor("conversation")
    vouched = bool(body.confirm) and await pin_confirms(context, principal, body.pin)
    if (not vouched and context.auth.unlock_pin_hash and answer_in(body.text) is Answer.YES
            and conversation.confirmations.waiting(conversation.who(actor, session))):
        raise ApiError("wrong_pin")  # with a PIN set, "응" alone does not open the door
    turn = await conversation.handle(body.text, room=body.room, session=session, actor=actor, confirmed=vouched,
                                     confirm=bool(body.confirm))
    # The answer is `ConversationResponse` by construction (Turn.answer): sent as it is, not validated again.
    return JSONResponse(await told(context, principal, turn,
                                   {"text": body.text, "room": body.room, "session": body.session}))


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


async def told(context: ApiContext, principal: Principal, turn: Turn, detail: dict[str, Any]) -> dict[str, Any]:
    """A turn, however it was said (typed, spoken): recorded in the audit log with `detail` (its text, room,
    ...), published for the WebSocket's listeners (and the jobs list, when it changed it), and answered
    (`Turn.answer`) — or, when the person may not ask for it, refused as `not_allowed` (already audited)."""
    answer = turn.answer()
    ok = turn.refused is None and all(o.ok for o in turn.outcomes)
    await record(context, principal, "conversation", detail, ok=ok, result=answer)
    bus = context.running.hub.bus
    bus.publish(ConversationHandled(principal.name, str(detail.get("text", "")), answer))
    intents = context.running.hub.intents
    if any(o.scheduled is not None or _changes_jobs(intents.get(o.command.intent)) for o in turn.outcomes):
        bus.publish(JobsChanged("conversation"))
    if turn.refused is not None:
        raise ApiError("not_allowed", {"reason": turn.refused}, audited=True)
    return answer


def _changes_jobs(spec: IntentSpec | None) -> bool:
    return spec is not None and spec.changes_jobs
