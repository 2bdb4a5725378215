"""light, switch, button, lock, valve and cover."""

from __future__ import annotations

import json
from typing import Any

from jibsa.adapters.mqtt.driver import EntityDriver, json_object, number, on_off
from jibsa.domain import DeviceAction, DeviceType

_COVER_TYPES = {"curtain": DeviceType.CURTAIN, "blind": DeviceType.BLIND, "shade": DeviceType.BLIND,
                "shutter": DeviceType.BLIND, "awning": DeviceType.BLIND, "window": DeviceType.WINDOW,
                "garage": DeviceType.GARAGE_DOOR, "gate": DeviceType.GARAGE_DOOR, "door": DeviceType.GARAGE_DOOR}


class SwitchDriver(EntityDriver):
    component = "switch"
    kind = DeviceType.SWITCH

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        return {"power": on_off(self, payload)}

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent in ("turn_on", "turn_off"):
            key, default = ("payload_on", "ON") if action.intent == "turn_on" else ("payload_off", "OFF")
            return [(self.command_topic(), self.word(key, default))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        return {"power": action.intent == "turn_on"} if action.intent in ("turn_on", "turn_off") else {}


class ButtonDriver(SwitchDriver):
    """A button is pressed by "turn on"; it has no state."""

    component = "button"

    def state_topics(self) -> tuple[str, ...]:
        return ()

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent == "turn_on":
            return [(self.command_topic(), self.word("payload_press", "PRESS"))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        return {}


class LightDriver(EntityDriver):
    """Both the default schema (ON/OFF plus brightness topics) and the JSON schema (Zigbee2MQTT)."""

    component = "light"
    kind = DeviceType.LIGHT

    @property
    def _json(self) -> bool:
        return self.c.get("schema") == "json"

    @property
    def _scale(self) -> float:
        return number(self.c.get("brightness_scale", 255))

    def _state_keys(self) -> tuple[str, ...]:
        return ("state_topic", "brightness_state_topic")

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if self._json:
            data = json_object(payload)
            out: dict[str, Any] = {}
            if "state" in data:
                out["power"] = str(data["state"]).upper() == "ON"
            if data.get("brightness") is not None:
                out["brightness"] = self._percent(data["brightness"])
            return out
        if topic == self.c.get("brightness_state_topic"):
            return {"brightness": self._percent(self.value(payload, "brightness_value_template"))}
        return {"power": on_off(self, payload, "state_value_template")}

    def _percent(self, raw: Any) -> int:
        return max(1, min(100, round(number(raw) * 100 / self._scale)))

    def _raw(self, percent: Any) -> int:
        return max(1, round(number(percent) * self._scale / 100))

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent not in ("turn_on", "turn_off") and not (action.intent == "set"
                                                                 and action.property == "brightness"):
            raise self.cannot(action)
        if self._json:
            body: dict[str, Any] = {"state": "OFF" if action.intent == "turn_off" else "ON"}
            if action.intent == "set":
                body["brightness"] = self._raw(action.value)
            return [(self.command_topic(), json.dumps(body))]
        if action.intent == "set":
            return [(self.command_topic("brightness_command_topic"), str(self._raw(action.value)))]
        key, default = ("payload_on", "ON") if action.intent == "turn_on" else ("payload_off", "OFF")
        return [(self.command_topic(), self.word(key, default))]

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        if action.intent == "set":
            return {"power": True, "brightness": action.value}
        return {"power": action.intent == "turn_on"}


class LockDriver(EntityDriver):
    component = "lock"
    kind = DeviceType.DOOR_LOCK

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        value = str(self.value(payload)).strip()
        if value == self.word("state_locked", "LOCKED"):
            return {"lock": "locked"}
        if value == self.word("state_unlocked", "UNLOCKED"):
            return {"lock": "unlocked"}
        raise ValueError(f"{value!r} is not a lock state")

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        words = {"lock": ("payload_lock", "LOCK"), "unlock": ("payload_unlock", "UNLOCK")}
        if action.intent not in words:
            raise self.cannot(action)
        return [(self.command_topic(), self.word(*words[action.intent]))]

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        return {"lock": "locked" if action.intent == "lock" else "unlocked"}


class ValveDriver(EntityDriver):
    """A gas valve (device_class gas) is jibsa's gas_valve; other valves are switches (on = open)."""

    component = "valve"

    @property
    def kind(self) -> DeviceType:  # type: ignore[override]
        return DeviceType.GAS_VALVE if self.c.get("device_class") == "gas" else DeviceType.SWITCH

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        value = str(self.value(payload)).strip()
        opened = {self.word("state_open", "open"), "open", "opening"}
        closed = {self.word("state_closed", "closed"), "closed", "closing"}
        if value not in opened | closed:
            raise ValueError(f"{value!r} is not a valve state")
        is_open = value in opened
        if self.kind is DeviceType.GAS_VALVE:
            return {"valve": "open" if is_open else "closed"}
        return {"power": is_open}

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent in ("close", "turn_off"):
            return [(self.command_topic(), self.word("payload_close", "CLOSE"))]
        if action.intent in ("open", "turn_on") and self.kind is not DeviceType.GAS_VALVE:
            return [(self.command_topic(), self.word("payload_open", "OPEN"))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        if self.kind is DeviceType.GAS_VALVE:
            return {"valve": "closed"}
        return {"power": action.intent in ("open", "turn_on")}


class CoverDriver(EntityDriver):
    component = "cover"

    @property
    def kind(self) -> DeviceType:  # type: ignore[override]
        return _COVER_TYPES.get(str(self.c.get("device_class", "")), DeviceType.CURTAIN)

    def _state_keys(self) -> tuple[str, ...]:
        return ("state_topic", "position_topic")

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if topic == self.c.get("position_topic"):
            raw = number(self.value(payload, "position_template"))
            low, high = number(self.c.get("position_closed", 0)), number(self.c.get("position_open", 100))
            return {"position": round(max(0.0, min(100.0, (raw - low) * 100 / (high - low))))}
        if self.c.get("position_topic"):
            return {}  # the position topic says more than open/closed
        value = str(self.value(payload)).strip()
        if value in (self.word("state_open", "open"), "open"):
            return {"position": 100}
        if value in (self.word("state_closed", "closed"), "closed"):
            return {"position": 0}
        if value in ("opening", "closing", "stopped"):
            return {}
        raise ValueError(f"{value!r} is not a cover state")

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        words = {"open": ("payload_open", "OPEN"), "close": ("payload_close", "CLOSE"),
                 "stop": ("payload_stop", "STOP")}
        if action.intent in words:
            return [(self.command_topic(), self.word(*words[action.intent]))]
        if action.intent == "set" and action.property == "position":
            low, high = number(self.c.get("position_closed", 0)), number(self.c.get("position_open", 100))
            raw = round(low + number(action.value) * (high - low) / 100)
            return [(self.command_topic("set_position_topic"), str(raw))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        return {"open": {"position": 100}, "close": {"position": 0}}.get(action.intent, super().assumed(action))
