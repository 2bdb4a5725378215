"""Adding Matter devices from the dashboard: an owner gives the pairing code (typed, or read from the
QR code by the phone's camera), follows the commissioning's progress, then names and places the new
device. The conversation does the same through the `add_matter_device` and `name_matter_device` intents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from jibsa.api.audit import record
from jibsa.api.auth import Principal, owner_only
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES, ErrorBody
from jibsa.hub import DeviceError
from jibsa.words import Said, say

router = APIRouter(prefix="/api/matter", tags=["matter"], responses=ERROR_RESPONSES)
WAIT_S = 20.0  # how long a progress request with `after` waits for the next stage


class CommissionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(
        min_length=1,
        max_length=64,
        description="the 11-digit manual pairing code (dashes allowed) or the QR code's text (MT:…)",
    )


class NameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=40, description='what to call it, e.g. "스탠드"')
    room: str | None = Field(default=None, max_length=100, description="a room id (or name) of the home")


def _commissioner(request: Request) -> Any:
    commissioner = api_context(request).running.matter
    if commissioner is None:
        raise ApiError("matter_not_set_up")
    return commissioner


@router.get("", summary="Whether a Matter controller is set up and answering")
async def matter_status(request: Request, _: Principal = Depends(owner_only)) -> dict[str, Any]:
    commissioner = api_context(request).running.matter
    return {
        "configured": commissioner is not None,
        "connected": commissioner is not None and commissioner.adapter.connected,
    }


@router.post("/commission", status_code=202, summary="Start adding a Matter device by its pairing code")
async def commission(
    body: CommissionRequest, request: Request, principal: Principal = Depends(owner_only)
) -> dict[str, Any]:
    progress = _commissioner(request).begin(body.code)
    await record(
        api_context(request),
        principal,
        "matter_commission",
        {"job": progress.id},
        ok=True,
        result={"stage": progress.stage.value},
    )
    return _worded(progress.to_dict())


@router.get("/commission/{job_id}", summary="How adding a Matter device is going")
async def commission_progress(
    job_id: str,
    request: Request,
    _: Principal = Depends(owner_only),
    after: str | None = Query(
        default=None, max_length=20, description="answer once the stage is no longer this one (at most 20 s)"
    ),
) -> dict[str, Any]:
    commissioner = _commissioner(request)
    if after:
        progress = await commissioner.progress_after(job_id, after, WAIT_S)
    else:
        progress = commissioner.progress(job_id)
    if progress is None:
        raise ApiError("not_found", {"job": job_id})
    return _worded(progress.to_dict())


@router.post("/devices/{device_id}/name", summary="Name a Matter device and put it in a room")
async def name_device(
    device_id: str, body: NameRequest, request: Request, principal: Principal = Depends(owner_only)
) -> dict[str, Any]:
    context = api_context(request)
    commissioner = _commissioner(request)
    home = context.running.hub.home
    room = None
    if body.room:
        room = next((r for r in home.rooms if body.room in (r.id, *r.names)), None)
        if room is None:
            raise ApiError("unknown_room", {"room": body.room})
    device = commissioner.rename(home, device_id, body.name.strip(), room.id if room else None)
    await record(
        context,
        principal,
        "matter_name",
        {"device": device_id, "name": body.name},
        ok=device is not None,
        result={} if device is not None else {"error": "unknown_device"},
    )
    if device is None:
        raise ApiError("unknown_device", {"device": device_id})
    return {"id": device.id, "name": device.name, "room": device.room}


@router.delete(
    "/devices/{device_id}",
    status_code=204,
    responses={504: {"model": ErrorBody}},
    summary="Remove a Matter device from the home and the controller",
)
async def remove_device(device_id: str, request: Request, principal: Principal = Depends(owner_only)) -> None:
    context = api_context(request)
    try:
        removed = await _commissioner(request).remove(device_id)
    except (DeviceError, TimeoutError):
        await record(
            context, principal, "matter_remove", {"device": device_id}, ok=False, result={"error": "not_answering"}
        )
        raise ApiError("not_answering", {"device": device_id}, audited=True) from None
    await record(
        context,
        principal,
        "matter_remove",
        {"device": device_id},
        ok=removed,
        result={} if removed else {"error": "unknown_device"},
    )
    if not removed:
        raise ApiError("unknown_device", {"device": device_id}, audited=True)


def _worded(progress: dict[str, Any]) -> dict[str, Any]:
    """A commissioning's progress with what it says, in Korean (`message`) and English (`message_en`)."""
    said = Said.from_json(progress.pop("said"))
    return {**progress, "message": say(said, "ko"), "message_en": say(said, "en")}
