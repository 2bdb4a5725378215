"""The shapes of requests and responses at the HTTP edge (pydantic), which the OpenAPI document shows."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from jibsa.domain.commands import DEVICE_INTENTS

RoleName = Literal["owner", "member", "guest", "satellite"]
if TYPE_CHECKING:
    DeviceIntent = str
else:  # the device intents of the intent table (jibsa.domain.intents), as the schema's enum
    DeviceIntent = Literal[tuple(sorted(DEVICE_INTENTS))]
_ID = r"^[A-Za-z0-9_.-]{1,100}$"


def _finite(value: Any) -> Any:
    """`value` when every number in it is finite: JSON has no NaN or infinity (Python's parser accepts
    `NaN` and turns `1e999` into infinity; neither can be stored or sent back)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite (no NaN or infinity)")
    if isinstance(value, Mapping):
        for item in value.values():
            _finite(item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _finite(item)
    return value


FiniteParams = Annotated[dict[str, Any], AfterValidator(_finite)]


class ErrorBody(BaseModel):
    code: str = Field(description="stable error code, e.g. needs_confirmation, not_allowed")
    message: str = Field(description="what went wrong, in Korean")
    message_en: str = Field(description="what went wrong, in English")
    detail: Any = None


class ConversationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=2000, description='what was said, e.g. "거실 불 꺼줘"')
    room: str | None = Field(default=None, max_length=100, description="the room the request comes from (a room id)")
    session: str | None = Field(default=None, max_length=100, description="requests of one session share context")
    confirm: StrictBool = Field(
        default=False, description="confirm what needs confirming (with `pin` when the home has one)"
    )
    pin: str | None = Field(default=None, max_length=32)


class CommandBody(BaseModel):
    intent: str
    targets: list[str]
    params: dict[str, Any]


class ResultBody(BaseModel):
    target: str
    ok: bool
    error: str | None = None


class ConversationResponse(BaseModel):
    commands: list[CommandBody]
    reply: str
    needs_confirmation: bool
    needs_choice: list[str] = Field(
        default_factory=list, description="device ids the reply asks to choose among; answer in the same session"
    )
    results: list[ResultBody]


class DeviceCommandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intent: DeviceIntent
    params: FiniteParams = Field(default_factory=dict, description="e.g. {property: brightness, value: 40}")
    confirm: StrictBool = False
    pin: str | None = Field(default=None, max_length=32)


class SceneRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirm: StrictBool = False
    pin: str | None = Field(default=None, max_length=32)


class PropertyBody(BaseModel):
    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: list[str] = Field(default_factory=list)
    writable: bool
    step: float


class DeviceBody(BaseModel):
    id: str
    name: str
    type: str
    room: str | None
    aliases: list[str]
    maker: str
    available: bool
    state: dict[str, Any]
    summary: dict[str, str]  # the key state in people's words, per language: {"ko": "켜짐 · 밝기 80%", "en": …}
    properties: list[PropertyBody]
    intents: list[str]
    buttons: list[str] = Field(default_factory=list, description="the intents offered as buttons, in order")
    asks_confirmation: list[str] = Field(
        default_factory=list, description="the buttons' intents that ask a second word (a PIN or a yes)"
    )


class RoomBody(BaseModel):
    id: str
    name: str
    aliases: list[str]
    devices: list[str]


class SceneBody(BaseModel):
    id: str
    name: str
    aliases: list[str]
    name_en: str | None = None  # what an English reply and the page in English call it (the home file's)


class OutcomeBody(BaseModel):
    ok: bool
    command: CommandBody
    results: list[dict[str, Any]]
    scheduled: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None
    error: str | None = None


class HistoryBody(BaseModel):
    device: str
    at: float
    old: dict[str, Any]
    new: dict[str, Any]
    cause: dict[str, Any] | None = None  # {"by", "via", "intent"}: who or what made the change; null: the device


class JobBody(BaseModel):
    id: str
    kind: str
    due: float
    command: dict[str, Any]
    repeat: str | None
    at: str | None
    name: str


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class UserBody(BaseModel):
    name: str
    role: str


class MeBody(BaseModel):
    name: str
    role: str
    via: str
    csrf_token: str | None
    home: dict[str, Any]


class NewUserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=_ID, description="letters, digits, _ . -")
    role: RoleName
    password: str | None = Field(default=None, min_length=8, max_length=1000)


class NewUserResponse(BaseModel):
    name: str
    role: str
    token: str = Field(description="the access token, shown only this once")


class AuditBody(BaseModel):
    at: float
    user: str
    role: str
    source: str
    action: str
    detail: dict[str, Any]
    ok: bool
    result: dict[str, Any]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (401, 403, 404, 409, 413, 422, 429)
}
