"""The device's side of discovery: how one jibsa device is announced over MQTT, how its state is
published, and which action a command message asks for.

Types Home Assistant has a component for are announced as that component (lights with the JSON
schema, climate, cover, lock, valve, vacuum, fan, humidifier, sensors), so Home Assistant and other
hubs use them as they are; the rest (washers, TVs, refrigerators, ...) are announced as a sensor
showing their main state, with `jibsa_type` and a JSON command topic that jibsa understands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jibsa.adapters.mqtt import colors
from jibsa.domain import Device, DeviceAction, DeviceType
from jibsa.domain.device_types import BINARY_SENSOR_CLASSES

_COVER_CLASS = {
    DeviceType.CURTAIN: "curtain",
    DeviceType.BLIND: "blind",
    DeviceType.WINDOW: "window",
    DeviceType.GARAGE_DOOR: "garage",
}
_HVAC = {"cool": "cool", "heat": "heat", "dry": "dry", "fan": "fan_only", "auto": "auto"}
_HVAC_BACK = {v: k for k, v in _HVAC.items()}
_SENSOR_CLASS = {"co2": "carbon_dioxide", "air_quality": "aqi"}
_NATIVE_SHOWN = {
    DeviceType.WASHER: "run_state",
    DeviceType.DRYER: "run_state",
    DeviceType.DISHWASHER: "run_state",
    DeviceType.REFRIGERATOR: "temperature",
    DeviceType.TV: "power",
    DeviceType.SPEAKER: "power",
    DeviceType.AIR_PURIFIER: "air_quality",
    DeviceType.BOILER: "current_temperature",
    DeviceType.THERMOSTAT: "current_temperature",
}
BRIGHTNESS_SCALE = 255


@dataclass(frozen=True, slots=True)
class Announcement:
    component: str
    object_id: str
    config: dict[str, Any]


class AnnouncedDevice:
    """One jibsa device as MQTT devices present themselves, under `<base>/<device id>/…`."""

    def __init__(self, device: Device, base: str, node: str, status_topic: str, room_name: str = "") -> None:
        self.device = device
        self.root = f"{base}/{device.id}"
        self.node = node
        self.status_topic = status_topic
        self.room_name = room_name

    @property
    def kind(self) -> str:
        return {
            DeviceType.LIGHT: "light", DeviceType.SWITCH: "switch", DeviceType.FAN: "fan",
            DeviceType.AIR_CONDITIONER: "climate", DeviceType.DOOR_LOCK: "lock", DeviceType.GAS_VALVE: "valve",
            DeviceType.ROBOT_VACUUM: "vacuum", DeviceType.HUMIDIFIER: "humidifier",
            DeviceType.DEHUMIDIFIER: "humidifier", DeviceType.SENSOR: "sensor",
        }.get(self.device.type, "cover" if self.device.type in _COVER_CLASS else "native")  # fmt: skip

    # -- announcing -----------------------------------------------------------------------------

    def announcements(self) -> list[Announcement]:
        common = {"availability_topic": self.status_topic, "device": self._device_block(), "jibsa_id": self.device.id}
        if self.kind == "sensor":
            return [self._sensor_entity(m, common) for m in self.device.measures]
        config = {
            "name": None,
            "unique_id": f"{self.node}_{self.device.id}",
            "object_id": self.device.id,
            **common,
            **self._component_config(),
        }
        component = "sensor" if self.kind == "native" else self.kind
        return [Announcement(component, self.device.id, config)]

    def _device_block(self) -> dict[str, Any]:
        block: dict[str, Any] = {
            "identifiers": [f"{self.node}_{self.device.id}"],
            "name": self.device.name,
            "manufacturer": self.device.maker or "jibsa",
            "model": self.device.type.value,
        }
        if self.room_name:
            block["suggested_area"] = self.room_name
        return block

    def _sensor_entity(self, measure: str, common: dict[str, Any]) -> Announcement:
        binary = measure in BINARY_SENSOR_CLASSES
        config = {
            "name": measure,
            "unique_id": f"{self.node}_{self.device.id}_{measure}",
            "object_id": f"{self.device.id}_{measure}",
            "state_topic": f"{self.root}/state",
            "value_template": f"{{{{ value_json.{measure} }}}}",
            **common,
        }
        config["device_class"] = measure if binary else _SENSOR_CLASS.get(measure, measure)
        if binary:
            config.update(payload_on="True", payload_off="False")
        return Announcement("binary_sensor" if binary else "sensor", f"{self.device.id}_{measure}", config)

    def _component_config(self) -> dict[str, Any]:
        r = self.root
        kind = self.kind
        if kind == "light":
            return {
                "schema": "json",
                "command_topic": f"{r}/set",
                "state_topic": f"{r}/state",
                "brightness": True,
                "brightness_scale": BRIGHTNESS_SCALE,
                "supported_color_modes": ["hs"],
            }
        if kind in ("switch", "lock"):
            return {"command_topic": f"{r}/set", "state_topic": f"{r}/state"}
        if kind == "valve":
            return {
                "command_topic": f"{r}/set",
                "state_topic": f"{r}/state",
                "device_class": "gas",
                "reports_position": False,
            }
        if kind == "fan":
            return {
                "command_topic": f"{r}/set",
                "state_topic": f"{r}/state",
                "preset_modes": ["low", "mid", "high"],
                "preset_mode_command_topic": f"{r}/preset/set",
                "preset_mode_state_topic": f"{r}/preset",
            }
        if kind == "climate":
            return {
                "modes": ["off", *_HVAC.values()],
                "mode_command_topic": f"{r}/mode/set",
                "mode_state_topic": f"{r}/mode",
                "temperature_command_topic": f"{r}/temperature/set",
                "temperature_state_topic": f"{r}/temperature",
                "current_temperature_topic": f"{r}/current",
                "fan_modes": ["low", "medium", "high", "auto"],
                "fan_mode_command_topic": f"{r}/fan/set",
                "fan_mode_state_topic": f"{r}/fan",
                "min_temp": 16,
                "max_temp": 30,
                "temp_step": 0.5,
            }
        if kind == "cover":
            return {
                "device_class": _COVER_CLASS[self.device.type],
                "command_topic": f"{r}/set",
                "set_position_topic": f"{r}/position/set",
                "position_topic": f"{r}/position",
            }
        if kind == "vacuum":
            return {
                "command_topic": f"{r}/set",
                "state_topic": f"{r}/state",
                "supported_features": ["start", "stop", "pause", "return_home", "battery", "status"],
            }
        if kind == "humidifier":
            return {
                "device_class": self.device.type.value,
                "command_topic": f"{r}/set",
                "state_topic": f"{r}/state",
                "target_humidity_command_topic": f"{r}/humidity/set",
                "target_humidity_state_topic": f"{r}/humidity",
                "current_humidity_topic": f"{r}/current",
            }
        shown = _NATIVE_SHOWN.get(self.device.type, "power")
        return {
            "jibsa_type": self.device.type.value,
            "state_topic": f"{r}/state",
            "command_topic": f"{r}/command",
            "value_template": f"{{{{ value_json.{shown} }}}}",
        }

    # -- state ----------------------------------------------------------------------------------

    def state_messages(self, state: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The retained messages that publish `state` (a device's public jibsa state)."""
        r, kind = self.root, self.kind
        on = "ON" if state.get("power") else "OFF"
        if kind == "light":
            scaled = round(float(state.get("brightness", 100)) * BRIGHTNESS_SCALE / 100)
            body: dict[str, Any] = {"state": on, "brightness": scaled}
            if state.get("color") in colors.NAMED_HS:
                hue, sat = colors.hs_of(str(state["color"]))
                body.update(color_mode="hs", color={"h": hue, "s": sat})
            return [(f"{r}/state", json.dumps(body))]
        if kind == "switch":
            return [(f"{r}/state", on)]
        if kind == "lock":
            return [(f"{r}/state", "LOCKED" if state.get("lock") == "locked" else "UNLOCKED")]
        if kind == "valve":
            return [(f"{r}/state", "open" if state.get("valve") == "open" else "closed")]
        if kind == "fan":
            return [(f"{r}/state", on), (f"{r}/preset", str(state.get("fan_speed", "mid")))]
        if kind == "climate":
            mode = _HVAC.get(str(state.get("mode")), "auto") if state.get("power") else "off"
            fan = {"mid": "medium"}.get(str(state.get("fan_speed", "auto")), str(state.get("fan_speed", "auto")))
            return [
                (f"{r}/mode", mode),
                (f"{r}/temperature", _num(state.get("temperature"))),
                (f"{r}/current", _num(state.get("current_temperature"))),
                (f"{r}/fan", fan),
            ]
        if kind == "cover":
            return [(f"{r}/position", _num(state.get("position", 0)))]
        if kind == "vacuum":
            return [
                (
                    f"{r}/state",
                    json.dumps({"state": state.get("run_state", "docked"), "battery_level": state.get("battery", 100)}),
                )
            ]
        if kind == "humidifier":
            return [
                (f"{r}/state", on),
                (f"{r}/humidity", _num(state.get("humidity"))),
                (f"{r}/current", _num(state.get("current_humidity"))),
            ]
        return [(f"{r}/state", json.dumps(dict(state), ensure_ascii=False))]

    # -- commands -------------------------------------------------------------------------------

    def actions(self, topic: str, payload: str) -> list[DeviceAction]:
        """The actions a command message asks for; none when the topic is not a command topic.
        Raises ValueError (or KeyError) for a payload that makes no sense."""
        if not topic.startswith(self.root + "/") or not topic.endswith(("/set", "/command")):
            return []
        part = topic[len(self.root) + 1 :]
        if part == "mode/set" and payload.strip() != "off":  # an HVAC mode also switches the unit on
            return [self._make("turn_on"), *self._one(part, payload.strip())]
        return self._one(part, payload.strip())

    def _one(self, part: str, payload: str) -> list[DeviceAction]:
        if self.kind == "light" and part == "set":
            return self._light_actions(payload)
        action = self._action(part, payload)
        return [action] if action is not None else []

    def _action(self, part: str, payload: str) -> DeviceAction | None:
        act = self._make
        if part == "command":
            body = json.loads(payload)
            return DeviceAction(
                self.device.id,
                str(body["intent"]),
                body.get("property"),
                body.get("value"),
                dict(body.get("options") or {}),
            )
        words = {"ON": "turn_on", "OFF": "turn_off", "LOCK": "lock", "UNLOCK": "unlock", "OPEN": "open",
                 "CLOSE": "close", "STOP": "stop", "start": "start", "stop": "stop", "pause": "pause",
                 "return_to_base": "dock"}  # fmt: skip
        setters = {
            "preset/set": ("fan_speed", str),
            "temperature/set": ("temperature", float),
            "position/set": ("position", float),
            "humidity/set": ("humidity", float),
        }
        if part == "set" and payload in words:
            return act(words[payload])
        if part in setters:
            prop, convert = setters[part]
            return act("set", prop, convert(payload))
        if part == "mode/set":
            return act("turn_off") if payload == "off" else act("set", "mode", _HVAC_BACK.get(payload, payload))
        if part == "fan/set":
            return act("set", "fan_speed", "mid" if payload == "medium" else payload)
        return None

    def _light_actions(self, payload: str) -> list[DeviceAction]:
        """A JSON-schema light command: on or off, or the brightness and colour it sets (each also
        switching the light on)."""
        body = json.loads(payload)
        if str(body.get("state", "ON")).upper() != "ON":
            return [self._make("turn_off")]
        actions = []
        color = body.get("color")
        if isinstance(color, dict) and color.get("h") is not None and color.get("s") is not None:
            actions.append(self._make("set", "color", colors.nearest_name(float(color["h"]), float(color["s"]))))
        if body.get("brightness") is not None:
            percent = max(1, round(float(body["brightness"]) * 100 / BRIGHTNESS_SCALE))
            actions.append(self._make("set", "brightness", percent))
        return actions or [self._make("turn_on")]

    def _make(self, intent: str, prop: str | None = None, value: Any = None) -> DeviceAction:
        return DeviceAction(self.device.id, intent, prop, value)


def _num(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.1f}"
