"""Devices that do what they are told at once: lights, switches, fans, TVs, speakers, door locks, gas valves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import DeviceError

from .base import Simulator, power_change, refuse_intent, refuse_property, waking


class PoweredSimulator(Simulator):
    """A device with power and a few settable properties. Setting one of `wakes` turns it on
    ("밝기 50으로" on a light that is off), turning it on keeps the other values."""

    def __init__(self, kind: str, defaults: Mapping[str, Any], wakes: frozenset[str] = frozenset()) -> None:
        self.kind = kind
        self._defaults = {"power": False, **defaults}
        self._wakes = wakes

    def initial_state(self, device: Device) -> dict[str, Any]:
        return dict(self._defaults)

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        change = power_change(action)
        if change is not None:
            return change
        if action.intent != "set":
            raise refuse_intent(self.kind, action)
        if action.property not in self._defaults:
            raise refuse_property(self.kind, action.property)
        new: dict[str, Any] = {action.property: action.value}
        return waking(action, new) if action.property in self._wakes else new


LIGHT = PoweredSimulator("light", {"brightness": 100, "color": "white"}, frozenset({"brightness", "color"}))
SWITCH = PoweredSimulator("switch", {})
FAN = PoweredSimulator("fan", {"fan_speed": "mid"}, frozenset({"fan_speed"}))
TV = PoweredSimulator("tv", {"volume": 15, "channel": 9, "mute": False}, frozenset({"volume", "channel"}))
SPEAKER = PoweredSimulator("speaker", {"volume": 30}, frozenset({"volume"}))


class DoorLockSimulator(Simulator):
    """A door lock: locked or unlocked, at once."""

    _INTENTS: Mapping[str, str] = {"lock": "locked", "close": "locked", "unlock": "unlocked", "open": "unlocked"}

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {"lock": "locked"}

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        if action.intent in self._INTENTS:
            return {"lock": self._INTENTS[action.intent]}
        if action.intent == "set" and action.property == "lock" and action.value in ("locked", "unlocked"):
            return {"lock": action.value}
        raise refuse_intent("door_lock", action)


class GasValveSimulator(Simulator):
    """A gas valve closes on command and never opens remotely, like the real 가스 차단기."""

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {"valve": "open"}  # open, so that "가스 잠가" has something to do

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        wanted = action.value if action.intent == "set" and action.property == "valve" else None
        if action.intent in ("close", "lock", "turn_off") or wanted == "closed":
            return {"valve": "closed"}
        if action.intent in ("open", "unlock", "turn_on") or wanted == "open":
            raise DeviceError("a gas valve is never opened remotely: open it by hand", "refused_for_safety")
        raise refuse_intent("gas_valve", action)
