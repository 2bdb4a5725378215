"""climate (air conditioner, boiler, thermostat), fan and humidifier."""

from __future__ import annotations

from typing import Any

from jibsa.adapters.mqtt.driver import EntityDriver, number, on_off
from jibsa.domain import DeviceAction, DeviceType

# Home Assistant's HVAC modes and jibsa's.
_TO_JIBSA = {"cool": "cool", "heat": "heat", "dry": "dry", "fan_only": "fan", "auto": "auto", "heat_cool": "auto"}
_FROM_JIBSA = {"cool": "cool", "heat": "heat", "dry": "dry", "fan": "fan_only", "auto": "auto"}
FAN_PERCENT = {"low": 33, "mid": 66, "high": 100}


class ClimateDriver(EntityDriver):
    component = "climate"

    @property
    def _modes(self) -> list[str]:
        modes = self.c.get("modes")
        return [str(m) for m in modes] if isinstance(modes, list) else ["off", "auto", "cool", "heat"]

    @property
    def kind(self) -> DeviceType:  # type: ignore[override]
        if "cool" in self._modes:
            return DeviceType.AIR_CONDITIONER
        return DeviceType.BOILER if "heat" in self._modes else DeviceType.THERMOSTAT

    def _state_keys(self) -> tuple[str, ...]:
        return (
            "mode_state_topic",
            "temperature_state_topic",
            "current_temperature_topic",
            "power_state_topic",
            "fan_mode_state_topic",
        )

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if topic == self.c.get("mode_state_topic"):
            mode = str(self.value(payload, "mode_state_template")).strip()
            if mode == "off":
                out["power"] = False
            elif mode in _TO_JIBSA:
                out.update(power=True, mode=_TO_JIBSA[mode])
            else:
                raise ValueError(f"{mode!r} is not an HVAC mode")
        if topic == self.c.get("temperature_state_topic"):
            out["temperature"] = number(self.value(payload, "temperature_state_template"))
        if topic == self.c.get("current_temperature_topic"):
            out["current_temperature"] = number(self.value(payload, "current_temperature_template"))
        if topic == self.c.get("power_state_topic"):
            out["power"] = on_off(self, payload, "power_state_template")
        if topic == self.c.get("fan_mode_state_topic"):
            speed = str(self.value(payload, "fan_mode_state_template")).strip()
            out["fan_speed"] = "mid" if speed == "medium" else speed
        return out

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent in ("turn_on", "turn_off"):
            if isinstance(self.c.get("power_command_topic"), str):
                word = self.word("payload_on", "ON") if action.intent == "turn_on" else self.word("payload_off", "OFF")
                return [(self.command_topic("power_command_topic"), word)]
            mode = "off" if action.intent == "turn_off" else next((m for m in self._modes if m != "off"), "auto")
            return [(self.command_topic("mode_command_topic"), mode)]
        if action.intent == "set" and action.property == "temperature":
            return [(self.command_topic("temperature_command_topic"), f"{number(action.value):g}")]
        if action.intent == "set" and action.property == "mode" and _FROM_JIBSA.get(str(action.value)) in self._modes:
            return [(self.command_topic("mode_command_topic"), _FROM_JIBSA[str(action.value)])]
        if action.intent == "set" and action.property == "fan_speed":
            speed = "medium" if action.value == "mid" else str(action.value)
            return [(self.command_topic("fan_mode_command_topic"), speed)]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        if action.intent in ("turn_on", "turn_off"):
            return {"power": action.intent == "turn_on"}
        return super().assumed(action)


class FanDriver(EntityDriver):
    """On/off with speed as a percentage or as preset modes named low/mid/high."""

    component = "fan"
    kind = DeviceType.FAN

    def _state_keys(self) -> tuple[str, ...]:
        return ("state_topic", "percentage_state_topic", "preset_mode_state_topic")

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if topic == self.c.get("percentage_state_topic"):
            percent = number(self.value(payload, "percentage_value_template"))
            return {"fan_speed": "low" if percent <= 40 else "mid" if percent <= 70 else "high"}
        if topic == self.c.get("preset_mode_state_topic"):
            return {"fan_speed": str(self.value(payload, "preset_mode_value_template")).strip()}
        return {"power": on_off(self, payload, "state_value_template")}

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent in ("turn_on", "turn_off"):
            key, default = ("payload_on", "ON") if action.intent == "turn_on" else ("payload_off", "OFF")
            return [(self.command_topic(), self.word(key, default))]
        if action.intent == "set" and action.property == "fan_speed":
            presets = self.c.get("preset_modes")
            if isinstance(presets, list) and action.value in presets:
                return [(self.command_topic("preset_mode_command_topic"), str(action.value))]
            percent = FAN_PERCENT.get(str(action.value), 66)
            return [(self.command_topic("percentage_command_topic"), str(percent))]
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        if action.intent in ("turn_on", "turn_off"):
            return {"power": action.intent == "turn_on"}
        return super().assumed(action)


class HumidifierDriver(EntityDriver):
    component = "humidifier"

    @property
    def kind(self) -> DeviceType:  # type: ignore[override]
        return DeviceType.DEHUMIDIFIER if self.c.get("device_class") == "dehumidifier" else DeviceType.HUMIDIFIER

    def _state_keys(self) -> tuple[str, ...]:
        return ("state_topic", "target_humidity_state_topic", "current_humidity_topic")

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if topic == self.c.get("target_humidity_state_topic"):
            return {"humidity": number(render_or(self, payload, "target_humidity_state_template"))}
        if topic == self.c.get("current_humidity_topic"):
            return {"current_humidity": number(render_or(self, payload, "current_humidity_template"))}
        return {"power": on_off(self, payload, "state_value_template")}

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        if action.intent in ("turn_on", "turn_off"):
            key, default = ("payload_on", "ON") if action.intent == "turn_on" else ("payload_off", "OFF")
            return [(self.command_topic(), self.word(key, default))]
        if action.intent == "set" and action.property == "humidity":
            return [(self.command_topic("target_humidity_command_topic"), f"{number(action.value):g}")]
        raise self.cannot(action)


def render_or(driver: EntityDriver, payload: str, key: str) -> Any:
    return driver.value(payload, key)
