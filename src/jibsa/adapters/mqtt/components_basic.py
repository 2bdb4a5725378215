"""light, switch, button, lock, valve and cover."""

from __future__ import annotations

import json
from typing import Any

from jibsa.adapters.mqtt import colors
from jibsa.adapters.mqtt.driver import EntityDriver, json_object, number, on_off
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub import DeviceError

_COVER_TYPES = {
    "curtain": DeviceType.CURTAIN,
    "blind": DeviceType.BLIND,
    "shade": DeviceType.BLIND,
    "shutter": DeviceType.BLIND,
    "awning": DeviceType.BLIND,
    "window": DeviceType.WINDOW,
    "garage": DeviceType.GARAGE_DOOR,
    "gate": DeviceType.GARAGE_DOOR,
    "door": DeviceType.GARAGE_DOOR,
}


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
    """Both the default schema (ON/OFF plus brightness and colour topics) and the JSON schema
    (Zigbee2MQTT). Colours go out in the light's own form (hs, rgb, xy, or colour temperature for
    the two whites) and are read back as the nearest of jibsa's named colours."""

    component = "light"
    kind = DeviceType.LIGHT

    @property
    def _json(self) -> bool:
        return self.c.get("schema") == "json"

    @property
    def _scale(self) -> float:
        return number(self.c.get("brightness_scale", 255))

    def _state_keys(self) -> tuple[str, ...]:
        return (
            "state_topic",
            "brightness_state_topic",
            "hs_state_topic",
            "rgb_state_topic",
            "xy_state_topic",
            "color_temp_state_topic",
        )

    def color_modes(self) -> tuple[str, ...]:
        """The colour forms this light takes, in the order jibsa prefers them."""
        modes = self.c.get("supported_color_modes")
        if isinstance(modes, list):
            offered = {str(m) for m in modes}
        else:  # older announcements: flags (JSON schema) or command topics (default schema)
            offered = {m for m in _COLOR_FORMS if self.c.get(m) is True or self.c.get(f"{m}_command_topic")}
        return tuple(m for m in _COLOR_FORMS if m in offered)

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if self._json:
            data = json_object(payload)
            out: dict[str, Any] = {}
            if "state" in data:
                out["power"] = str(data["state"]).upper() == "ON"
            if data.get("brightness") is not None:
                out["brightness"] = self._percent(data["brightness"])
            color = _color_from_json(data)
            if color is not None:
                out["color"] = color
            return out
        if topic == self.c.get("brightness_state_topic"):
            return {"brightness": self._percent(self.value(payload, "brightness_value_template"))}
        for form in _COLOR_FORMS:
            if topic == self.c.get(f"{form}_state_topic"):
                return {"color": _color_from_text(form, str(self.value(payload, f"{form}_value_template")))}
        return {"power": on_off(self, payload, "state_value_template")}

    def _percent(self, raw: Any) -> int:
        return max(1, min(100, round(number(raw) * 100 / self._scale)))

    def _raw(self, percent: Any) -> int:
        return max(1, round(number(percent) * self._scale / 100))

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        setting = action.property if action.intent == "set" else None
        if action.intent not in ("turn_on", "turn_off") and setting not in ("brightness", "color"):
            raise self.cannot(action)
        if setting == "color":
            return self._write_color(action)
        if self._json:
            body: dict[str, Any] = {"state": "OFF" if action.intent == "turn_off" else "ON"}
            if action.intent == "set":
                body["brightness"] = self._raw(action.value)
            return [(self.command_topic(), json.dumps(body))]
        if action.intent == "set":
            return [(self.command_topic("brightness_command_topic"), str(self._raw(action.value)))]
        key, default = ("payload_on", "ON") if action.intent == "turn_on" else ("payload_off", "OFF")
        return [(self.command_topic(), self.word(key, default))]

    def _write_color(self, action: DeviceAction) -> list[tuple[str, str]]:
        name = str(action.value)
        if name not in colors.NAMED_HS:
            raise DeviceError(f"{name!r} is not a colour jibsa knows", "invalid_value")
        form = next((m for m in self.color_modes() if m != "color_temp" or name in colors.WHITE_MIREDS), None)
        if form is None:
            raise DeviceError(f"light {self.cfg.unique_id} cannot show {name}", "unsupported_intent")
        if self._json:
            body: dict[str, Any] = {"state": "ON"}
            if form == "color_temp":
                body["color_temp"] = colors.WHITE_MIREDS[name]
            else:
                body["color"] = _json_color(form, name)
            return [(self.command_topic(), json.dumps(body))]
        return [(self.command_topic(f"{form}_command_topic"), _text_color(form, name))]

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        if action.intent == "set":
            return {"power": True, str(action.property): action.value}
        return {"power": action.intent == "turn_on"}


_COLOR_FORMS = ("hs", "rgb", "xy", "color_temp")


def _json_color(form: str, name: str) -> dict[str, Any]:
    if form == "hs":
        hue, sat = colors.hs_of(name)
        return {"h": hue, "s": sat}
    if form == "rgb":
        return dict(zip("rgb", colors.rgb_of(name), strict=True))
    return dict(zip("xy", colors.xy_of(name), strict=True))


def _text_color(form: str, name: str) -> str:
    if form == "color_temp":
        return str(colors.WHITE_MIREDS[name])
    values = {"hs": colors.hs_of, "rgb": colors.rgb_of, "xy": colors.xy_of}[form](name)
    return ",".join(f"{v:g}" for v in values)


def _color_from_json(data: dict[str, Any]) -> str | None:
    color, mode = data.get("color"), data.get("color_mode")
    if data.get("color_temp") is not None and (mode == "color_temp" or not isinstance(color, dict)):
        return colors.name_from_mireds(number(data["color_temp"]))
    if not isinstance(color, dict):
        return None
    if color.get("h") is not None and color.get("s") is not None:
        return colors.nearest_name(number(color["h"]), number(color["s"]))
    if all(color.get(k) is not None for k in "rgb"):
        return colors.name_from_rgb(number(color["r"]), number(color["g"]), number(color["b"]))
    if color.get("x") is not None and color.get("y") is not None:
        return colors.name_from_xy(number(color["x"]), number(color["y"]))
    return None


def _color_from_text(form: str, text: str) -> str:
    values = [number(v) for v in text.split(",")] if form != "color_temp" else [number(text)]
    expected = {"hs": 2, "rgb": 3, "xy": 2, "color_temp": 1}[form]
    if len(values) != expected:
        raise ValueError(f"{text!r} is not a {form} colour")
    if form == "hs":
        return colors.nearest_name(*values)
    if form == "rgb":
        return colors.name_from_rgb(*values)
    if form == "xy":
        return colors.name_from_xy(*values)
    return colors.name_from_mireds(values[0])


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
        words = {
            "open": ("payload_open", "OPEN"),
            "close": ("payload_close", "CLOSE"),
            "stop": ("payload_stop", "STOP"),
        }
        if action.intent in words:
            return [(self.command_topic(), self.word(*words[action.intent]))]
        if action.intent == "set" and action.property == "position":
            low, high = number(self.c.get("position_closed", 0)), number(self.c.get("position_open", 100))
            raw = round(low + number(action.value) * (high - low) / 100)
            return [(self.command_topic("set_position_topic"), str(raw))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        return {"open": {"position": 100}, "close": {"position": 0}}.get(action.intent, super().assumed(action))
