"""Devices: list them with their state, read one, send one a command."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError, refused_by_gate
from jibsa.api.schemas import ERROR_RESPONSES, DeviceBody, DeviceCommandRequest, OutcomeBody
from jibsa.domain import Command, CommandFormatError, Device, ErrorCode, needs_confirmation, refusal_for_role
from jibsa.domain.commands import DEVICE_INTENTS
from jibsa.domain.policy import refusal_for_request
from jibsa.gate import GateRefused
from jibsa.hub import Hub, Outcome
from jibsa.presentation.state_words import summary
from jibsa.words.results import outcome_with_words

router = APIRouter(prefix="/api", tags=["devices"], responses=ERROR_RESPONSES)

# A failed result on the device endpoint -> the API error code (and so the HTTP status) it answers with.
RESULT_ERRORS: dict[ErrorCode, str] = {
    ErrorCode.UNKNOWN_DEVICE: "unknown_device",
    ErrorCode.UNSUPPORTED_INTENT: "unsupported_intent",
    ErrorCode.UNSUPPORTED_PROPERTY: "unsupported_property",
    ErrorCode.READ_ONLY_PROPERTY: "read_only_property",
    ErrorCode.BAD_VALUE: "bad_value",
    ErrorCode.REFUSED_FOR_SAFETY: "refused_for_safety",
    ErrorCode.NOT_ANSWERING: "not_answering",
    ErrorCode.DEVICE_ERROR: "device_refused",
    ErrorCode.NOT_ALLOWED: "not_allowed",
    ErrorCode.NEEDS_CONFIRMATION: "needs_confirmation",
    ErrorCode.UNCONFIRMED: "unconfirmed",
}


def device_body(hub: Hub, device: Device) -> dict[str, Any]:
    """A device as the API shows it: what it is, its live state (and its key state in people's words,
    `summary`: {"ko", "en"}), and the controls its type allows."""
    properties = [
        {"name": p.name, "kind": p.kind.value, "minimum": p.minimum, "maximum": p.maximum, "unit": p.unit,
         "choices": list(p.choices), "writable": p.writable, "step": p.step}
        for p in device.spec.properties
    ]  # fmt: skip
    state = hub.state(device.id)
    buttons = hub.intents.buttons(device.spec.intents)
    return {
        "id": device.id, "name": device.name, "type": device.type.value, "room": device.room,
        "aliases": list(device.aliases), "maker": device.maker, "available": hub.states.available(device.id),
        "state": state, "summary": summary(device.type, state), "properties": properties,
        "intents": sorted(device.spec.intents), "buttons": buttons,
        "asks_confirmation": [i for i in buttons if needs_confirmation(device, Command(i, (device.id,)))],
    }  # fmt: skip


def _device(hub: Hub, device_id: str) -> Device:
    device = hub.home.device(device_id)
    if device is None:
        raise ApiError("unknown_device", {"device": device_id})
    return device


@router.get("/devices", response_model=list[DeviceBody], summary="Every device, with its state")
async def list_devices(request: Request, _: Principal = Depends(anyone)) -> list[dict[str, Any]]:
    hub = api_context(request).running.hub
    return [device_body(hub, d) for d in hub.home.devices]


@router.get("/devices/{device_id}", response_model=DeviceBody, summary="One device, with its state")
async def get_device(device_id: str, request: Request, _: Principal = Depends(anyone)) -> dict[str, Any]:
    hub = api_context(request).running.hub
    return device_body(hub, _device(hub, device_id))


@router.post("/devices/{device_id}/commands", response_model=OutcomeBody, summary="Send a device a command")
async def send_command(
    device_id: str,
    body: DeviceCommandRequest,
    request: Request,
    principal: Principal = Depends(anyone),
) -> dict[str, Any]:
    """Carry out `intent` on the device. Unlocking answers 409 `needs_confirmation` until confirmed:
    the same request again with `"confirm": true` within a minute, or with the home's PIN when it has one."""
    context = api_context(request)
    hub = context.running.hub
    device = _device(hub, device_id)
    command = _command(device_id, body)
    detail = {"device": device_id, **command.to_dict()}
    gate, asker = context.running.gate, principal.at()
    refusal = refusal_for_role(principal.role, device, command) or refusal_for_request(principal.role, command)
    if refusal is not None:
        await gate.audit(asker, "device_command", detail, ok=False, result={"error": "not_allowed"})
        raise ApiError("not_allowed", {"device": device_id, "intent": command.intent}, audited=True)
    try:
        confirmed = not needs_confirmation(device, command) or gate.confirmed(asker, command, body.confirm, body.pin)
    except GateRefused as refused:
        await gate.audit(asker, "device_command", detail, ok=False, result={"error": refused.code})
        raise refused_by_gate(refused) from None
    if not confirmed:
        await gate.audit(asker, "device_command", detail, ok=False, result={"error": "needs_confirmation"})
        raise ApiError("needs_confirmation", {"device": device_id, "intent": command.intent}, audited=True)
    outcome = await gate.command(asker, command, confirmed=True, action="device_command", detail={"device": device_id})
    return _answer(outcome)


def _command(device_id: str, body: DeviceCommandRequest) -> Command:
    if body.intent not in DEVICE_INTENTS:
        raise ApiError("invalid_request", {"intent": f"not a device intent: {body.intent!r}"})
    try:
        return Command.from_dict({"intent": body.intent, "targets": [device_id], "params": body.params})
    except CommandFormatError as exc:
        raise ApiError("invalid_request", {"params": str(exc)}) from None


def _answer(outcome: Outcome) -> dict[str, Any]:
    """The outcome, or the error its first failure maps to (the caller has audited it either way)."""
    if outcome.ok:
        return outcome_with_words(outcome.to_dict())
    failed = next((r for r in outcome.results if not r.ok and r.error is not None), None)
    if failed is None or failed.error is None:
        raise ApiError("invalid_request", outcome_with_words(outcome.to_dict()), audited=True)
    raise ApiError(
        RESULT_ERRORS.get(failed.error, "device_refused"), outcome_with_words(outcome.to_dict()), audited=True
    )
