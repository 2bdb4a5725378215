"""The home as a whole: rooms, scenes (and running one), recorded history, timers and schedules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request

from jibsa.api.audit import record
from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError, refused_by_gate
from jibsa.api.schemas import ERROR_RESPONSES, HistoryBody, JobBody, OutcomeBody, RoomBody, SceneBody, SceneRunRequest
from jibsa.domain import Command, Role, needs_confirmation
from jibsa.gate import GateRefused
from jibsa.hub import Hub, PendingJob
from jibsa.words import Said, say
from jibsa.words.results import outcome_with_words

router = APIRouter(prefix="/api", tags=["home"], responses=ERROR_RESPONSES)


@router.get("/home", summary="The home's name, id and language")
async def get_home(request: Request, _: Principal = Depends(anyone)) -> dict[str, Any]:
    home = api_context(request).running.hub.home
    return {"id": home.id, "name": home.name, "language": home.language, "city": home.city}


@router.get("/rooms", response_model=list[RoomBody], summary="Every room and its devices")
async def list_rooms(request: Request, _: Principal = Depends(anyone)) -> list[dict[str, Any]]:
    home = api_context(request).running.hub.home
    rooms = [{"id": r.id, "name": r.name, "aliases": list(r.aliases), "devices": [d.id for d in home.devices_in(r.id)]}
             for r in home.rooms]  # fmt: skip
    whole = home.devices_in(None)
    if whole:
        named = {lang: say(Said("state.cli.whole_home"), lang) for lang in ("ko", "en")}  # "집 전체", "whole home"
        rooms.append({"id": "", "name": named["ko"], "aliases": [named["en"]], "devices": [d.id for d in whole]})
    return rooms


@router.get("/scenes", response_model=list[SceneBody], summary="Every scene")
async def list_scenes(request: Request, _: Principal = Depends(anyone)) -> list[dict[str, Any]]:
    home = api_context(request).running.hub.home
    return [{"id": s.id, "name": s.name, "aliases": list(s.aliases), "name_en": s.name_en} for s in home.scenes]


@router.post("/scenes/{scene_id}/run", response_model=OutcomeBody, summary="Run a scene")
async def run_scene(
    scene_id: str,
    request: Request,
    body: SceneRunRequest | None = Body(None),
    principal: Principal = Depends(anyone),
) -> dict[str, Any]:
    """Carry out every action of the scene; each device's result is in `results` (200 even when some fail)."""
    context = api_context(request)
    hub = context.running.hub
    scene = hub.home.scene(scene_id)
    if scene is None:
        raise ApiError("unknown_scene", {"scene": scene_id})
    body = body or SceneRunRequest()
    command = Command("run_scene", (), {"scene": scene_id})
    gate, asker = context.running.gate, principal.at()
    confirmed = False
    if _scene_needs_confirmation(hub, scene_id):
        try:
            confirmed = gate.confirmed(asker, command, body.confirm, body.pin)
        except GateRefused as refused:
            await gate.audit(asker, "run_scene", {"scene": scene_id}, ok=False, result={"error": refused.code})
            raise refused_by_gate(refused) from None
    outcome = await gate.command(asker, command, confirmed=confirmed, action="run_scene")
    return outcome_with_words(outcome.to_dict())


def _scene_needs_confirmation(hub: Hub, scene_id: str) -> bool:
    scene = hub.home.scene(scene_id)
    if scene is None:
        return False
    for action in scene.actions:
        step = Command(action.intent, action.targets, dict(action.params))
        if any((d := hub.home.device(t)) is not None and needs_confirmation(d, step) for t in action.targets):
            return True
    return False


@router.get("/history", response_model=list[HistoryBody], summary="Recorded state changes")
async def history(
    request: Request,
    device: str | None = Query(None, max_length=100, description="a device id; all devices when omitted"),
    since: float | None = Query(None, ge=-1e12, le=1e12, description="seconds since the epoch (UTC)"),
    limit: int = Query(500, ge=1, le=5000),
    principal: Principal = Depends(anyone),
) -> list[dict[str, Any]]:
    """A guest is not shown from which address the others acted (a cause's `via` keeps only its channel)."""
    context = api_context(request)
    hub = context.running.hub
    if device is not None and hub.home.device(device) is None:
        raise ApiError("unknown_device", {"device": device})
    entries = await context.running.store.history(hub.home.id, device, since, limit)
    return [
        {
            "device": e.device_id,
            "at": e.at,
            "old": dict(e.old),
            "new": dict(e.new),
            "cause": _cause_for(e.cause, principal) if e.cause else None,
        }
        for e in entries
    ]


def _cause_for(cause: Mapping[str, Any], principal: Principal) -> dict[str, Any]:
    shown = dict(cause)
    if principal.role is Role.GUEST and shown.get("by") != principal.name and isinstance(shown.get("via"), str):
        shown["via"] = shown["via"].split(":", 1)[0]  # "api:192.168.0.7" -> "api"
    return shown


def job_body(job: PendingJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "due": job.due,
        "command": dict(job.command),
        "repeat": job.repeat,
        "at": job.at,
        "name": job.name,
    }


@router.get("/jobs", response_model=list[JobBody], summary="Timers and schedules pending")
async def list_jobs(request: Request, _: Principal = Depends(anyone)) -> list[dict[str, Any]]:
    return [job_body(j) for j in api_context(request).running.hub.pending_jobs()]


@router.delete("/jobs/{job_id}", response_model=JobBody, summary="Cancel a timer or schedule (guests: only their own)")
async def cancel_job(job_id: str, request: Request, principal: Principal = Depends(anyone)) -> dict[str, Any]:
    context = api_context(request)
    try:
        job = await context.running.hub.timers.cancel(job_id, principal.actor("api"))
    except PermissionError:
        await record(context, principal, "cancel_job", {"job": job_id}, ok=False, result={"error": "not_allowed"})
        raise ApiError("not_allowed", {"job": job_id}, audited=True) from None
    await record(context, principal, "cancel_job", {"job": job_id}, ok=job is not None, result={})
    if job is None:
        raise ApiError("unknown_job", {"job": job_id})
    return job_body(job)
