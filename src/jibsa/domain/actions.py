"""Checking a command against one device's type, and turning it into the action an adapter performs.

`plan_action` is the single place where jibsa decides whether a command makes sense for a device:
unsupported intents and properties are refused with a reason, values outside the range are clamped
(and the clamp is reported), relative changes become absolute values, and opening a gas valve is
refused for safety. Adapters receive only actions that passed this check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain.commands import Command
from jibsa.domain.device_types import DeviceType, PropertySpec, ValueKind
from jibsa.domain.home import Device
from jibsa.domain.results import Clamp, ErrorCode

# How far "올려/내려" moves a property when no amount is said.
DEFAULT_STEPS: Mapping[str, float] = {
    "brightness": 20, "temperature": 1, "freezer_temperature": 1, "volume": 5, "position": 25, "humidity": 5,
    "channel": 1,
}  # fmt: skip
_COVERS = {DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.WINDOW, DeviceType.GARAGE_DOOR}
_TRUE_WORDS = {"on", "true", "yes", "켜", "1"}
_FALSE_WORDS = {"off", "false", "no", "꺼", "0"}


@dataclass(frozen=True, slots=True)
class DeviceAction:
    """What an adapter is asked to do to one device. `value` is absolute and inside the range."""

    device_id: str
    intent: str
    property: str | None = None
    value: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refusal:
    code: ErrorCode
    message: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    """Either an action to perform (possibly with clamps to report), a query, or a refusal."""

    action: DeviceAction | None = None
    refusal: Refusal | None = None
    clamps: tuple[Clamp, ...] = ()
    query: str | None = None  # for query_state: the property asked for ("" for the whole state)


def _refuse(code: ErrorCode, message: str, **detail: Any) -> Plan:
    return Plan(refusal=Refusal(code, message, detail))


def canonical_intent(device: Device, intent: str) -> str:
    """The intent as this type understands it: 열어 on a door lock unlocks, 켜 on a curtain opens."""
    if device.type is DeviceType.DOOR_LOCK:
        return {"open": "unlock", "close": "lock", "turn_on": "lock", "turn_off": "unlock"}.get(intent, intent)
    if device.type in _COVERS:
        return {"turn_on": "open", "turn_off": "close"}.get(intent, intent)
    if device.type is DeviceType.GAS_VALVE:
        return {"turn_off": "close", "turn_on": "open", "lock": "close", "unlock": "open"}.get(intent, intent)
    return intent


def plan_action(device: Device, command: Command, state: Mapping[str, Any]) -> Plan:
    """Check `command` against `device`'s type and its current `state`; say what to do or why not."""
    intent = canonical_intent(device, command.intent)
    if device.type is DeviceType.GAS_VALVE and intent == "open":
        return _refuse(ErrorCode.REFUSED_FOR_SAFETY, "a gas valve is never opened remotely", intent=intent)
    if intent not in device.spec.intents:
        return _refuse(ErrorCode.UNSUPPORTED_INTENT, f"a {device.type.value} does not accept {intent}", intent=intent)
    params = command.params
    if intent == "query_state":
        return _plan_query(device, params.get("property"))
    if intent == "set":
        return _plan_set(device, params.get("property"), params.get("value"), params.get("keep_power"))
    if intent == "adjust":
        return _plan_adjust(device, params, state)
    options = {k: params[k] for k in ("cycle", "area") if params.get(k) is not None}
    return Plan(action=DeviceAction(device.id, intent, options=options))


def _plan_query(device: Device, prop: Any) -> Plan:
    if prop is None or prop == "":
        return Plan(query="")
    if not isinstance(prop, str) or device.property_spec(prop) is None:
        return _refuse(ErrorCode.UNSUPPORTED_PROPERTY, f"a {device.type.value} has no {prop}", property=prop)
    return Plan(query=prop)


def _writable(device: Device, prop: Any) -> PropertySpec | Plan:
    name = prop if isinstance(prop, str) and prop else device.spec.default_property
    spec = device.property_spec(name) if name else None
    if spec is None:
        return _refuse(ErrorCode.UNSUPPORTED_PROPERTY, f"a {device.type.value} has no {prop}", property=prop)
    if not spec.writable:
        return _refuse(ErrorCode.READ_ONLY_PROPERTY, f"{spec.name} can only be read", property=spec.name)
    return spec


def _plan_set(device: Device, prop: Any, value: Any, keep_power: Any = None) -> Plan:
    """`keep_power: true` sets the value on a device that is off without switching it on (the vendors' apps
    do so for an AC's target); without it, setting a target may switch the device on."""
    spec = _writable(device, prop)
    if isinstance(spec, Plan):
        return spec
    if keep_power not in (None, True, False):
        return _refuse(ErrorCode.BAD_VALUE, f"keep_power is true or false, not {keep_power!r}", property="keep_power")
    coerced = coerce_value(spec, value)
    if isinstance(coerced, Refusal):
        return Plan(refusal=coerced)
    applied, clamps = coerced
    options = {"keep_power": True} if keep_power is True else {}
    return Plan(action=DeviceAction(device.id, "set", spec.name, applied, options), clamps=clamps)


def coerce_value(spec: PropertySpec, value: Any) -> tuple[Any, tuple[Clamp, ...]] | Refusal:
    """`value` as this property takes it (clamped when numeric), or why it cannot be taken."""
    if spec.kind is ValueKind.NUMBER:
        number = _number(value)
        if number is None:
            return Refusal(ErrorCode.BAD_VALUE, f"{spec.name} needs a number, not {value!r}", {"property": spec.name})
        applied = spec.clamp(number)
        applied = int(applied) if float(applied).is_integer() else round(applied, 1)
        clamps = (Clamp(spec.name, number, applied),) if applied != number else ()
        return applied, clamps
    if spec.kind is ValueKind.CHOICE:
        word = str(value).strip().lower() if value is not None else ""
        if word not in spec.choices:
            return Refusal(
                ErrorCode.BAD_VALUE,
                f"{spec.name} is one of {', '.join(spec.choices)}, not {value!r}",
                {"property": spec.name, "value": value, "choices": list(spec.choices)},
            )
        return word, ()
    if spec.kind is ValueKind.BOOL:
        flag = _flag(value)
        if flag is None:
            return Refusal(ErrorCode.BAD_VALUE, f"{spec.name} is on or off, not {value!r}", {"property": spec.name})
        return flag, ()
    if value is None or str(value).strip() == "":
        return Refusal(ErrorCode.BAD_VALUE, f"{spec.name} needs a value", {"property": spec.name})
    return str(value), ()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None  # NaN is not a number a device can take
    if isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def _plan_adjust(device: Device, params: Mapping[str, Any], state: Mapping[str, Any]) -> Plan:
    spec = _writable(device, params.get("property"))
    if isinstance(spec, Plan):
        return spec
    direction = params.get("direction")
    if direction not in ("up", "down"):
        return _refuse(ErrorCode.BAD_VALUE, "direction must be up or down", property=spec.name)
    sign = 1 if direction == "up" else -1
    if sign < 0 and state.get("power") is False and not _cools(device, spec.name):
        return Plan(query="")  # "어둡게", "소리 줄여" on a device that is off: left off, not turned on to be lowered
    if spec.kind is ValueKind.CHOICE:
        return _step_choice(device, spec, state.get(spec.name), sign)
    if spec.kind is not ValueKind.NUMBER:
        return _refuse(ErrorCode.UNSUPPORTED_PROPERTY, f"{spec.name} cannot go up or down", property=spec.name)
    amount = _number(params.get("amount")) if params.get("amount") is not None else None
    step = amount if amount is not None else DEFAULT_STEPS.get(spec.name, spec.step)
    current = _number(state.get(spec.name))
    if current is None:
        current = spec.minimum if sign > 0 and spec.minimum is not None else (spec.maximum or 0)
    return _plan_set(device, spec.name, current + sign * abs(step))


def _cools(device: Device, prop: str) -> bool:
    """Lowering the setting asks for more of what the device does: an air conditioner set cooler."""
    return device.type is DeviceType.AIR_CONDITIONER and prop == "temperature"


def _step_choice(device: Device, spec: PropertySpec, current: Any, sign: int) -> Plan:
    ladder = [c for c in spec.choices if c != "auto"]
    index = ladder.index(current) if current in ladder else (0 if sign > 0 else len(ladder) - 1)
    target = ladder[max(0, min(len(ladder) - 1, index + sign))]
    return Plan(action=DeviceAction(device.id, "set", spec.name, target))
