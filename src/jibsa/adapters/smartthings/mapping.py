"""SmartThings devices in jibsa's terms, both ways. Pure: no I/O.

A SmartThings device has components ("main", a fridge's "cooler" and "freezer"), each with
capabilities (`switch`, `thermostatCoolingSetpoint`...) and a category (`AirConditioner`). Its status
holds each capability's attributes; a command names a component, capability, command and arguments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jibsa.adapters.cloud.mapping import UnsupportedAction, vendor_word
from jibsa.domain import DeviceAction, DeviceType

CATEGORIES: Mapping[str, DeviceType] = {
    "AirConditioner": DeviceType.AIR_CONDITIONER, "Washer": DeviceType.WASHER, "Dryer": DeviceType.DRYER,
    "Dishwasher": DeviceType.DISHWASHER, "RobotCleaner": DeviceType.ROBOT_VACUUM, "Television": DeviceType.TV,
    "SmartLock": DeviceType.DOOR_LOCK, "Light": DeviceType.LIGHT, "Switch": DeviceType.SWITCH,
    "SmartPlug": DeviceType.SWITCH, "Blind": DeviceType.BLIND, "Refrigerator": DeviceType.REFRIGERATOR,
    "AirPurifier": DeviceType.AIR_PURIFIER, "Fan": DeviceType.FAN, "Thermostat": DeviceType.THERMOSTAT,
    "Humidifier": DeviceType.HUMIDIFIER, "Dehumidifier": DeviceType.DEHUMIDIFIER,
    "GarageDoor": DeviceType.GARAGE_DOOR, "Speaker": DeviceType.SPEAKER, "NetworkAudio": DeviceType.SPEAKER,
}  # fmt: skip
# When the category says nothing we know, the first capability found decides.
_BY_CAPABILITY: Sequence[tuple[str, DeviceType]] = (
    ("robotCleanerMovement", DeviceType.ROBOT_VACUUM), ("washerOperatingState", DeviceType.WASHER),
    ("dryerOperatingState", DeviceType.DRYER), ("dishwasherOperatingState", DeviceType.DISHWASHER),
    ("airConditionerMode", DeviceType.AIR_CONDITIONER), ("lock", DeviceType.DOOR_LOCK),
    ("windowShade", DeviceType.BLIND), ("tvChannel", DeviceType.TV), ("switchLevel", DeviceType.LIGHT),
    ("switch", DeviceType.SWITCH),
)  # fmt: skip
AC_MODES: Mapping[str, str] = {"cool": "cool", "heat": "heat", "dry": "dry", "wind": "fan", "auto": "auto"}
FAN_MODES: Mapping[str, str] = {"low": "low", "medium": "mid", "high": "high", "auto": "auto"}
VACUUM_STATES: Mapping[str, str] = {
    "cleaning": "cleaning", "point": "cleaning", "after": "cleaning", "homing": "returning", "pause": "paused",
    "alarm": "paused", "charging": "docked", "idle": "docked", "powerOff": "docked", "reserve": "docked",
}  # fmt: skip
_OPERATING = {
    DeviceType.WASHER: ("washerOperatingState", "washerJobState"),
    DeviceType.DRYER: ("dryerOperatingState", "dryerJobState"),
    DeviceType.DISHWASHER: ("dishwasherOperatingState", "dishwasherJobState"),
}
_MACHINE = {"start": "run", "pause": "pause", "stop": "stop"}
_VACUUM = {"start": "cleaning", "pause": "pause", "stop": "idle", "dock": "homing"}
_COVERS = frozenset({DeviceType.BLIND, DeviceType.CURTAIN, DeviceType.WINDOW, DeviceType.GARAGE_DOOR})


@dataclass(frozen=True, slots=True)
class Command:
    """One SmartThings command."""

    capability: str
    command: str
    arguments: tuple[Any, ...] = ()
    component: str = "main"

    def to_json(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "capability": self.capability,
            "command": self.command,
            "arguments": list(self.arguments),
        }


@dataclass(frozen=True, slots=True)
class Described:
    """What a device listing says about one device."""

    device_id: str
    label: str
    kind: DeviceType | None
    room_id: str | None
    capabilities: Mapping[str, frozenset[str]] = field(default_factory=dict)  # by component


def describe(raw: Mapping[str, Any]) -> Described:
    """The useful part of one `/v1/devices` item."""
    capabilities: dict[str, frozenset[str]] = {}
    categories: list[str] = []
    for component in raw.get("components") or ():
        names = frozenset(str(c.get("id")) for c in component.get("capabilities") or ())
        capabilities[str(component.get("id"))] = names
        categories.extend(str(c.get("name")) for c in component.get("categories") or ())
    label = str(raw.get("label") or raw.get("name") or raw.get("deviceId"))
    room = raw.get("roomId")
    kind = jibsa_type(categories, capabilities.get("main", frozenset()))
    return Described(str(raw.get("deviceId")), label, kind, str(room) if room else None, capabilities)


def jibsa_type(categories: Sequence[str], capabilities: frozenset[str]) -> DeviceType | None:
    for category in categories:
        if category in CATEGORIES:
            return CATEGORIES[category]
    for capability, kind in _BY_CAPABILITY:
        if capability in capabilities:
            return kind
    return None


def device_id_for(st_id: str) -> str:
    """`st_` and the first eight letters and digits of SmartThings' device id, lowercased."""
    return "st_" + re.sub(r"[^a-z0-9]", "", st_id.lower())[:8]


def values_from_status(kind: DeviceType, components: Mapping[str, Any], now: float) -> dict[str, Any]:
    """jibsa property values read from `/status` components; what the status lacks is left out."""
    main = components.get("main") or {}
    values: dict[str, Any] = {}
    switch = _value(main, "switch", "switch")
    if switch is not None and kind not in (DeviceType.DOOR_LOCK, DeviceType.ROBOT_VACUUM):
        values["power"] = switch == "on"
    if kind in _OPERATING:
        values.update(_machine_values(main, *_OPERATING[kind], now))
    elif kind is DeviceType.ROBOT_VACUUM:
        _put(values, "run_state", VACUUM_STATES.get(str(_value(main, "robotCleanerMovement", "robotCleanerMovement"))))
        _put(values, "battery", _value(main, "battery", "battery"))
    elif kind is DeviceType.REFRIGERATOR:
        values.update(_fridge_values(components))
    elif kind in _COVERS:
        values.update(_cover_values(main))
    else:
        values.update(_common_values(kind, main))
    values.update(_meter_values(main))
    return values


_ENERGY_UNITS = {"Wh": 0.001, "kWh": 1.0, "MWh": 1000.0}


def _meter_values(main: Mapping[str, Any]) -> dict[str, Any]:
    """What the device draws (`powerMeter`) and has used (`energyMeter`, else Samsung appliances'
    `powerConsumptionReport`, whose `energy` is the Wh used since it was installed)."""
    values: dict[str, Any] = {}
    power = _value(main, "powerMeter", "power")
    energy = _entry(main, "energyMeter", "energy")
    report = _value(main, "powerConsumptionReport", "powerConsumption")
    if isinstance(report, Mapping):
        if isinstance(report.get("power"), (int, float)):
            values["power_w"] = float(report["power"])
        if isinstance(report.get("energy"), (int, float)):
            values["energy_kwh"] = float(report["energy"]) / 1000
    if isinstance(power, (int, float)):
        values["power_w"] = float(power)
    if isinstance(energy.get("value"), (int, float)) and str(energy.get("unit", "kWh")) in _ENERGY_UNITS:
        values["energy_kwh"] = float(energy["value"]) * _ENERGY_UNITS[str(energy.get("unit", "kWh"))]
    return values


def _common_values(kind: DeviceType, main: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if kind is DeviceType.LIGHT:
        level = _value(main, "switchLevel", "level")
        _put(values, "brightness", max(1, min(100, level)) if isinstance(level, (int, float)) else None)
    _put(values, "temperature", _value(main, "thermostatCoolingSetpoint", "coolingSetpoint"))
    _put(values, "current_temperature", _value(main, "temperatureMeasurement", "temperature"))
    _put(values, "mode", AC_MODES.get(str(_value(main, "airConditionerMode", "airConditionerMode"))))
    _put(values, "fan_speed", FAN_MODES.get(str(_value(main, "airConditionerFanMode", "fanMode"))))
    _put(values, "volume", _value(main, "audioVolume", "volume"))
    mute = _value(main, "audioMute", "mute")
    _put(values, "mute", None if mute is None else mute == "muted")
    channel = _value(main, "tvChannel", "tvChannel")
    _put(values, "channel", int(channel) if isinstance(channel, str) and channel.isdigit() else None)
    _put(values, "lock", {"locked": "locked", "unlocked": "unlocked"}.get(str(_value(main, "lock", "lock"))))
    _put(values, "current_humidity", _value(main, "relativeHumidityMeasurement", "humidity"))
    if kind not in (DeviceType.AIR_CONDITIONER, DeviceType.THERMOSTAT):
        values.pop("temperature", None)
        values.pop("current_temperature", None)
    return values


def _machine_values(main: Mapping[str, Any], capability: str, job: str, now: float) -> dict[str, Any]:
    machine = _value(main, capability, "machineState")
    values: dict[str, Any] = {}
    if machine == "run":
        values["run_state"] = "running"
    elif machine == "pause":
        values["run_state"] = "paused"
    elif machine == "stop":
        values["run_state"] = "finished" if _value(main, capability, job) == "finish" else "idle"
    completion = _value(main, capability, "completionTime")
    if machine in ("run", "pause") and isinstance(completion, str):
        values["remaining_time"] = max(0, min(6 * 3600, int(_timestamp(completion) - now)))
    elif machine == "stop":
        values["remaining_time"] = 0
    return values


def _fridge_values(components: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    _put(values, "temperature", _value(components.get("cooler") or {}, "thermostatCoolingSetpoint", "coolingSetpoint"))
    freezer = components.get("freezer") or {}
    _put(values, "freezer_temperature", _value(freezer, "thermostatCoolingSetpoint", "coolingSetpoint"))
    contact = _value(components.get("main") or {}, "contactSensor", "contact")
    _put(values, "door", None if contact is None else contact == "open")
    return values


def _cover_values(main: Mapping[str, Any]) -> dict[str, Any]:
    level = _value(main, "windowShadeLevel", "shadeLevel")
    if isinstance(level, (int, float)):
        return {"position": level}
    shade = _value(main, "windowShade", "windowShade")
    return {"position": {"open": 100, "closed": 0}[shade]} if shade in ("open", "closed") else {}


def commands_for(kind: DeviceType, capabilities: Mapping[str, frozenset[str]], action: DeviceAction) -> list[Command]:
    """The commands that carry out `action`, using only capabilities the device has."""
    command = _command_for(kind, action)
    if command.capability not in capabilities.get(command.component, frozenset()):
        raise UnsupportedAction(f"{command.capability}.{command.command}")
    return [command]


def _command_for(kind: DeviceType, action: DeviceAction) -> Command:
    intent, prop, value = action.intent, action.property, action.value
    if kind in _OPERATING and intent in _MACHINE:
        return Command(_OPERATING[kind][0], "setMachineState", (_MACHINE[intent],))
    if kind is DeviceType.ROBOT_VACUUM and intent in _VACUUM:
        return Command("robotCleanerMovement", "setRobotCleanerMovement", (_VACUUM[intent],))
    if intent in ("lock", "unlock"):
        return Command("lock", intent)
    if kind in _COVERS and intent in ("open", "close", "stop"):
        return Command("windowShade", {"open": "open", "close": "close", "stop": "pause"}[intent])
    if intent in ("turn_on", "turn_off") or (intent == "set" and prop == "power"):
        on = intent == "turn_on" or (intent == "set" and bool(value))
        return Command("switch", "on" if on else "off")
    if intent == "set" and prop is not None:
        return _set_command(kind, prop, value)
    raise UnsupportedAction(intent)


def _set_command(kind: DeviceType, prop: str, value: Any) -> Command:
    if kind is DeviceType.REFRIGERATOR and prop in ("temperature", "freezer_temperature"):
        component = "cooler" if prop == "temperature" else "freezer"
        return Command("thermostatCoolingSetpoint", "setCoolingSetpoint", (value,), component)
    if kind in _COVERS and prop == "position":
        return Command("windowShadeLevel", "setShadeLevel", (value,))
    table: Mapping[str, Command] = {
        "brightness": Command("switchLevel", "setLevel", (value,)),
        "temperature": Command("thermostatCoolingSetpoint", "setCoolingSetpoint", (value,)),
        "volume": Command("audioVolume", "setVolume", (value,)),
        "channel": Command("tvChannel", "setTvChannel", (str(value),)),
        "mute": Command("audioMute", "mute" if value else "unmute"),
    }
    if prop in table:
        return table[prop]
    if prop == "mode" and kind is DeviceType.AIR_CONDITIONER:
        return Command("airConditionerMode", "setAirConditionerMode", (vendor_word(AC_MODES, value),))
    if prop == "fan_speed" and kind is DeviceType.AIR_CONDITIONER:
        return Command("airConditionerFanMode", "setFanMode", (vendor_word(FAN_MODES, value),))
    raise UnsupportedAction(f"set {prop}")


def _timestamp(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _value(component: Mapping[str, Any], capability: str, attribute: str) -> Any:
    return _entry(component, capability, attribute).get("value")


def _entry(component: Mapping[str, Any], capability: str, attribute: str) -> Mapping[str, Any]:
    """An attribute's `{"value", "unit", "timestamp"}`, or {} when the status lacks it."""
    attributes = component.get(capability)
    entry = attributes.get(attribute) if isinstance(attributes, Mapping) else None
    return entry if isinstance(entry, Mapping) else {}


def _put(values: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        values[name] = value
