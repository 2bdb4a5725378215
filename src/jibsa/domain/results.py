"""What carrying out a command yields: one result per target, and state-change events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from jibsa.domain.events import EVERYONE, Audience
from jibsa.domain.said import Said


class ErrorCode(StrEnum):
    """Why a command did not take effect on a target. Stable: the API and tests rely on these."""

    UNKNOWN_DEVICE = "unknown_device"
    UNSUPPORTED_INTENT = "unsupported_intent"
    UNSUPPORTED_PROPERTY = "unsupported_property"
    READ_ONLY_PROPERTY = "read_only_property"
    BAD_VALUE = "bad_value"
    REFUSED_FOR_SAFETY = "refused_for_safety"
    NOT_ANSWERING = "not_answering"
    DEVICE_ERROR = "device_error"
    NOT_ALLOWED = "not_allowed"
    NEEDS_CONFIRMATION = "needs_confirmation"
    UNCONFIRMED = "unconfirmed"  # sent, but the device's own state did not show the change in time


class Delivery(StrEnum):
    """How far a command is known to have reached a device.

    DONE: the device's own reported state shows the change. SENT: the device has no way to report
    (an MQTT entity without a state topic, a button), so the command was delivered but cannot be
    confirmed. UNCONFIRMED: the device reports its state but did not show the change in time.
    """

    DONE = "done"
    SENT = "sent"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class Clamp:
    """A value asked for outside a property's range, and the value applied instead."""

    property: str
    asked: float
    applied: float


@dataclass(frozen=True, slots=True)
class TargetResult:
    """The outcome of one command on one device.

    `changes` are the properties the command set, after clamping; `notes` say what a person should
    hear besides success (a value clamped to the device's range, for instance).
    """

    target: str
    ok: bool
    error: ErrorCode | None = None
    message: str = ""
    changes: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    state: Mapping[str, Any] | None = None  # the device's state after (for query_state: what was asked)
    clamps: tuple[Clamp, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)  # structured facts behind `error`
    delivery: Delivery = Delivery.DONE
    said: Said | None = None  # why it failed, to be worded in the reader's language (else `message`)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target, "ok": self.ok}
        if self.delivery is not Delivery.DONE:
            out["delivery"] = self.delivery.value
        if self.error is not None:
            out["error"] = self.error.value
            out["message"] = self.message
            if self.said is not None:
                out["said"] = self.said.to_json()
        if self.changes:
            out["changes"] = dict(self.changes)
        if self.notes:
            out["notes"] = list(self.notes)
        if self.state is not None:
            out["state"] = dict(self.state)
        if self.clamps:
            out["clamped"] = [{"property": c.property, "asked": c.asked, "applied": c.applied} for c in self.clamps]
        return out


@dataclass(frozen=True, slots=True)
class StateChanged:
    """A device's state changed: the whole old and new state, and when (clock seconds)."""

    home_id: str
    device_id: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    at: float
    cause: Mapping[str, Any] | None = None  # who or what made it: {"by", "via"}; None: the device itself

    audience: ClassVar[Audience] = EVERYONE

    @property
    def changed(self) -> dict[str, Any]:
        return {k: v for k, v in self.new.items() if self.old.get(k) != v}

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "state_changed",
            "device": self.device_id,
            "state": public_state(self.new),
            "changed": public_state(self.changed),
            "at": self.at,
            "cause": self.cause,
        }


@dataclass(frozen=True, slots=True)
class AvailabilityChanged:
    home_id: str
    device_id: str
    available: bool
    at: float

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {"type": "availability_changed", "device": self.device_id, "available": self.available, "at": self.at}


def public_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """The state people see: without the adapters' bookkeeping keys (those starting with "_")."""
    return {k: v for k, v in state.items() if not k.startswith("_")}
