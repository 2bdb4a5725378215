"""The household's enrolled voices (who is speaking): listed, recorded and deleted by the person they
belong to or by an owner; the household's setting "낯선 목소리는 손님으로" (owners). A voice only ever
narrows what a spoken request may do (jibsa.gate). Recording goes through the microphone socket
(`WS /api/voice` with `{"type": "start", "enrol": true}`), which carries the audio; every change is
audited through the gate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from jibsa.api.audit import record
from jibsa.api.auth import Principal, current_principal, owner_only
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.domain.policy import may_manage_voice
from jibsa.voice.audio import Samples
from jibsa.voice.voiceprints import Voiceprints
from jibsa.words import catalogue

router = APIRouter(prefix="/api", tags=["voices"], responses=ERROR_RESPONSES)


class VoiceSettingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strangers_as_guests: bool


def enrolment_sentences(language: str) -> list[str]:
    """The short sentences a person reads to enrol (words/<lang>.yaml, `voices.sentences`)."""
    return [str(s) for s in catalogue("en" if language == "en" else "ko")["voices"]["sentences"]]


def _voices(context: ApiContext) -> Voiceprints:
    if context.running.voices is None:
        raise ApiError("not_found", {"voices": "not kept by this server"})
    return context.running.voices


async def _person(context: ApiContext, principal: Principal, name: str) -> Any:
    """The account whose voice `name` is, when `principal` may manage it (else `not_allowed`, audited)."""
    if not may_manage_voice(principal.role, principal.name, name):
        raise ApiError("not_allowed", {"name": name, "reason": "another person's voice"})
    user = await context.accounts.get_user(context.home_id, name)
    if user is None:
        raise ApiError("unknown_user", {"name": name})
    return user


@router.get("/voices", summary="Enrolled voices (your own; an owner sees everyone's) and the setting")
async def list_voices(
    request: Request,
    lang: str = Query("ko", pattern="^(ko|en)$"),
    principal: Principal = Depends(current_principal),
) -> dict[str, Any]:
    context = api_context(request)
    voices = _voices(context)
    people = [v for v in voices.enrolled() if may_manage_voice(principal.role, principal.name, v.name)]
    return {
        "strangers_as_guests": voices.strangers_as_guests(),
        "sentences": enrolment_sentences(lang),
        "people": [{k: v for k, v in p.to_dict().items() if k != "user_id"} for p in people],
    }


@router.put("/voices/settings", summary="Strangers' voices judged as guests, on or off (owners)")
async def voice_settings(
    body: VoiceSettingsRequest, request: Request, principal: Principal = Depends(owner_only)
) -> dict[str, Any]:
    context = api_context(request)
    await _voices(context).set_strangers_as_guests(body.strangers_as_guests)
    detail = {"strangers_as_guests": body.strangers_as_guests}
    await record(context, principal, "voice_settings", detail, ok=True, result={})
    return detail


@router.delete("/voices/{name}", summary="Delete a person's enrolled voice (theirs, or an owner)")
async def forget_voice(
    name: str, request: Request, principal: Principal = Depends(current_principal)
) -> dict[str, Any]:
    context = api_context(request)
    user = await _person(context, principal, name)
    deleted = await _voices(context).forget(str(user.id))
    await record(context, principal, "voice_forget", {"name": name}, ok=True, result={"deleted": deleted})
    return {"name": name, "deleted": deleted}


@router.delete("/voices/{name}/samples/{sample_id}", summary="Delete one enrolment recording's voiceprint")
async def forget_sample(
    name: str, sample_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> dict[str, Any]:
    context = api_context(request)
    user = await _person(context, principal, name)
    deleted = await _voices(context).forget(str(user.id), [sample_id])
    detail = {"name": name, "sample": sample_id}
    if not deleted:
        await record(context, principal, "voice_forget", detail, ok=False, result={"error": "not_found"})
        raise ApiError("not_found", detail)
    await record(context, principal, "voice_forget", detail, ok=True, result={"deleted": deleted})
    return {"name": name, "deleted": deleted}


async def enrol_heard(
    context: ApiContext, principal: Principal, audio: Samples, start: dict[str, Any]
) -> dict[str, Any]:
    """One enrolment sentence heard through the microphone socket: kept for `start["for"]` (the person
    speaking, unless an owner enrols someone else), with `start["my_room"]` as the room they call theirs."""
    from jibsa.api.routes_conversation import room_id

    name = str(start.get("for") or principal.name)
    try:
        user = await _person(context, principal, name)
    except ApiError as refused:
        await record(context, principal, "voice_enrol", {"name": name}, ok=False, result={"error": refused.code})
        raise
    my_room = start.get("my_room")
    room = room_id(context, my_room) if isinstance(my_room, str) and my_room else None
    sample = await _voices(context).add_sample(str(user.id), user.name, audio, room=room)
    detail = {"name": user.name, "sample": sample.id, "seconds": round(sample.seconds, 1), "room": room}
    await record(context, principal, "voice_enrol", detail, ok=True, result={})
    voice = _voices(context).voice_of(str(user.id))
    return {"name": user.name, "sample": sample.to_dict(), "samples": len(voice.samples) if voice else 1}
