"""Who may do what: roles, and the commands that need a second word before they are carried out."""

from __future__ import annotations

from enum import StrEnum

from jibsa.domain.actions import Refusal, canonical_intent
from jibsa.domain.commands import Command
from jibsa.domain.device_types import DeviceType
from jibsa.domain.home import Device
from jibsa.domain.results import ErrorCode


class Role(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    GUEST = "guest"


# What a guest may not do to a device, whatever else they may do.
_GUEST_FORBIDDEN: dict[DeviceType, frozenset[str]] = {
    DeviceType.DOOR_LOCK: frozenset({"unlock"}),
    DeviceType.GAS_VALVE: frozenset({"open"}),
    DeviceType.GARAGE_DOOR: frozenset({"open"}),
}


def refusal_for_role(role: Role, device: Device, command: Command) -> Refusal | None:
    """Why `role` may not send `command` to `device`, or None when it may."""
    if role is not Role.GUEST:
        return None
    intent = canonical_intent(device, command.intent)
    if intent in _GUEST_FORBIDDEN.get(device.type, frozenset()):
        return Refusal(ErrorCode.NOT_ALLOWED, f"a guest may not {intent} {device.id}", {"intent": intent})
    return None


def needs_confirmation(device: Device, command: Command) -> bool:
    """Unlocking a door needs a second word (a PIN or a confirming request), whoever asks."""
    return device.type is DeviceType.DOOR_LOCK and canonical_intent(device, command.intent) == "unlock"
