"""sensor and binary_sensor (one measure each; a device's several merge into one jibsa sensor),
vacuum, and jibsa's own devices that Home Assistant has no component for (announced "native")."""

from __future__ import annotations

import json
from typing import Any

from jibsa.adapters.mqtt.driver import EntityDriver, json_object, number, on_off
from jibsa.domain import DeviceAction, DeviceType
from jibsa.domain.device_types import BINARY_SENSOR_CLASSES, SENSOR_READINGS

# Home Assistant sensor device classes that are jibsa measures under another name.
SENSOR_CLASSES = {"carbon_dioxide": "co2", "pm25": "pm25", "aqi": "air_quality"}
# The units Home Assistant allows for power and energy, as factors to jibsa's W and kWh; a sensor that
# gives none is taken to be in jibsa's own unit.
UNITS: dict[str, dict[str, float]] = {
    "power": {"W": 1.0, "kW": 1000.0, "MW": 1_000_000.0, "mW": 0.001},
    "energy": {"Wh": 0.001, "kWh": 1.0, "MWh": 1000.0, "GWh": 1_000_000.0, "MJ": 1 / 3.6, "GJ": 1000 / 3.6},
}
VACUUM_STATES = {
    "docked": "docked",
    "cleaning": "cleaning",
    "paused": "paused",
    "returning": "returning",
    "idle": "docked",
    "error": "paused",
}


class SensorDriver(EntityDriver):
    component = "sensor"
    kind = DeviceType.SENSOR

    @property
    def measure(self) -> str | None:
        device_class = str(self.c.get("device_class", ""))
        measure = SENSOR_CLASSES.get(device_class, device_class)
        return measure if measure in SENSOR_READINGS else None

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,) if self.measure else ()

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        if self.measure is None:
            return {}
        value = self.value(payload)
        if self.measure == "air_quality":
            return {"air_quality": str(value)}
        spec = SENSOR_READINGS[self.measure]
        reading = number(value) * self._unit_factor()
        if spec.minimum is not None and spec.maximum is not None and not spec.minimum <= reading <= spec.maximum:
            raise ValueError(f"{self.measure} {reading} is out of range {spec.minimum:g}..{spec.maximum:g}")
        return {self.measure: round(reading, 3 if self.measure == "energy" else 2)}  # energy to the Wh

    def _unit_factor(self) -> float:
        """What turns the announced unit into jibsa's (kW -> W: 1000); ValueError for a unit it cannot."""
        factors = UNITS.get(self.measure or "")
        unit = self.c.get("unit_of_measurement")
        if factors is None or unit in (None, ""):
            return 1.0
        if unit not in factors:
            raise ValueError(f"{self.measure} in {unit!r}: not one of {sorted(factors)}")
        return factors[str(unit)]


class BinarySensorDriver(EntityDriver):
    component = "binary_sensor"
    kind = DeviceType.SENSOR

    @property
    def measures(self) -> tuple[str, ...]:
        device_class = str(self.c.get("device_class", ""))
        return (device_class,) if device_class in BINARY_SENSOR_CLASSES else ()

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        return {self.measures[0]: on_off(self, payload)} if self.measures else {}


class VacuumDriver(EntityDriver):
    """The state schema: JSON state {"state", "battery_level"}, commands start/stop/pause/return_to_base."""

    component = "vacuum"
    kind = DeviceType.ROBOT_VACUUM

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        data = json_object(payload)
        out: dict[str, Any] = {}
        if "state" in data:
            if data["state"] not in VACUUM_STATES:
                raise ValueError(f"{data['state']!r} is not a vacuum state")
            out["run_state"] = VACUUM_STATES[data["state"]]
        if data.get("battery_level") is not None:
            out["battery"] = max(0, min(100, round(number(data["battery_level"]))))
        return out

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        words = {
            "start": ("payload_start", "start"),
            "stop": ("payload_stop", "stop"),
            "pause": ("payload_pause", "pause"),
            "dock": ("payload_return_to_base", "return_to_base"),
        }
        if action.intent not in words:
            raise self.cannot(action)
        return [(self.command_topic(), self.word(*words[action.intent]))]

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        states = {"start": "cleaning", "stop": "returning", "pause": "paused", "dock": "returning"}
        return {"run_state": states[action.intent]} if action.intent in states else {}


class NativeDriver(EntityDriver):
    """A jibsa device announced with `jibsa_type`: its whole state as JSON, its actions as JSON."""

    component = "sensor"

    @property
    def kind(self) -> DeviceType:  # type: ignore[override]
        return DeviceType(str(self.c["jibsa_type"]))

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        return json_object(payload)

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        body = {
            "intent": action.intent,
            "property": action.property,
            "value": action.value,
            "options": dict(action.options),
        }
        return [(self.command_topic(), json.dumps(body, ensure_ascii=False))]
