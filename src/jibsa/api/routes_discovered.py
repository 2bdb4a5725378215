"""Discovered devices waiting for an owner: locks, gas valves and garage doors announced by
discovery join the home only when an owner adopts them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from jibsa.api.audit import record
from jibsa.api.auth import Principal, owner_only
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.routes_devices import device_body
from jibsa.api.schemas import ERROR_RESPONSES, DeviceBody
from jibsa.domain import Device

router = APIRouter(prefix="/api", tags=["devices"], responses=ERROR_RESPONSES)


def _waiting_body(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "name": device.name,
        "type": device.type.value,
        "vendor": device.vendor,
        "maker": device.maker,
        "room": device.room,
    }


@router.get("/discovered", summary="Discovered safety devices waiting for an owner to adopt them")
async def list_discovered(request: Request, _: Principal = Depends(owner_only)) -> list[dict[str, Any]]:
    hub = api_context(request).running.hub
    return [_waiting_body(d) for d in hub.adoption.waiting.values()]


@router.post("/discovered/{device_id}/adopt", response_model=DeviceBody, summary="Adopt a discovered device")
async def adopt(device_id: str, request: Request, principal: Principal = Depends(owner_only)) -> dict[str, Any]:
    context = api_context(request)
    hub = context.running.hub
    device = await hub.adopt(device_id)
    await record(
        context,
        principal,
        "adopt_device",
        {"device": device_id},
        ok=device is not None,
        result={} if device is not None else {"error": "unknown_device"},
    )
    if device is None:
        raise ApiError("unknown_device", {"device": device_id})
    return device_body(hub, device)
