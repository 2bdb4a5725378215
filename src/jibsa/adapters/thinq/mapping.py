"""LG ThinQ Connect devices in jibsa's terms, both ways. Pure: no I/O.

A ThinQ device has a type (`DEVICE_WASHER`) and a state of resources holding properties
(`{"runState": {"currentState": "RUNNING"}}`); washers and dryers give a list of such states, one
per location ("MAIN", "MINI"). A control is a payload of the same shape with the values to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jibsa.adapters.cloud.mapping import UnsupportedAction, vendor_word
from jibsa.domain import DeviceAction, DeviceType

THINQ_TYPES: Mapping[str, DeviceType] = {
    "DEVICE_WASHER": DeviceType.WASHER,
    "DEVICE_WASHTOWER_WASHER": DeviceType.WASHER,
    "DEVICE_WASHCOMBO_MAIN": DeviceType.WASHER,
    "DEVICE_WASHCOMBO_MINI": DeviceType.WASHER,
    "DEVICE_DRYER": DeviceType.DRYER,
    "DEVICE_WASHTOWER_DRYER": DeviceType.DRYER,
    "DEVICE_DISH_WASHER": DeviceType.DISHWASHER,
    "DEVICE_AIR_CONDITIONER": DeviceType.AIR_CONDITIONER,
    "DEVICE_REFRIGERATOR": DeviceType.REFRIGERATOR,
    "DEVICE_AIR_PURIFIER": DeviceType.AIR_PURIFIER,
    "DEVICE_ROBOT_CLEANER": DeviceType.ROBOT_VACUUM,
    "DEVICE_HUMIDIFIER": DeviceType.HUMIDIFIER,
    "DEVICE_DEHUMIDIFIER": DeviceType.DEHUMIDIFIER,
    "DEVICE_CEILING_FAN": DeviceType.FAN,
}
_OPERATION_KEYS: Mapping[str, str] = {
    "DEVICE_WASHER": "washerOperationMode",
    "DEVICE_WASHTOWER_WASHER": "washerOperationMode",
    "DEVICE_WASHCOMBO_MAIN": "washerOperationMode",
    "DEVICE_WASHCOMBO_MINI": "washerOperationMode",
    "DEVICE_DRYER": "dryerOperationMode",
    "DEVICE_WASHTOWER_DRYER": "dryerOperationMode",
    "DEVICE_DISH_WASHER": "dishWasherOperationMode",
    "DEVICE_AIR_CONDITIONER": "airConOperationMode",
    "DEVICE_AIR_PURIFIER": "airPurifierOperationMode",
    "DEVICE_HUMIDIFIER": "humidifierOperationMode",
    "DEVICE_DEHUMIDIFIER": "dehumidifierOperationMode",
    "DEVICE_CEILING_FAN": "ceilingfanOperationMode",
    "DEVICE_ROBOT_CLEANER": "cleanOperationMode",
}
_JOB_RESOURCES: Mapping[DeviceType, str] = {
    DeviceType.AIR_CONDITIONER: "airConJobMode",
    DeviceType.AIR_PURIFIER: "airPurifierJobMode",
}
AC_MODES: Mapping[str, str] = {"COOL": "cool", "HEAT": "heat", "AIR_DRY": "dry", "FAN": "fan", "AUTO": "auto"}
# LG has no "turbo" job mode; its strongest cleaning mode, CLEAN, stands for it.
PURIFIER_MODES: Mapping[str, str] = {"AUTO": "auto", "SLEEP": "sleep", "CLEAN": "turbo"}
WIND: Mapping[str, str] = {"LOW": "low", "MID": "mid", "HIGH": "high", "AUTO": "auto"}
AIR_QUALITY: Mapping[str, str] = {"GOOD": "good", "NORMAL": "moderate", "BAD": "bad", "VERY_BAD": "very_bad"}
_IDLE = frozenset({"POWER_OFF", "INITIAL", "SLEEP", "STANDBY", "RESERVED", "ERROR", "DISPLAY_LOADING"})
_PAUSED = frozenset({"PAUSE", "RINSE_HOLD"})
_FINISHED = frozenset({"END", "COMPLETE"})
VACUUM_STATES: Mapping[str, str] = {
    "SLEEP": "docked", "STANDBY": "docked", "CHARGING": "docked", "POWER_OFF": "docked", "INITIAL": "docked",
    "CLEANING": "cleaning", "WORKING": "cleaning", "PAUSE": "paused", "HOMING": "returning", "RETURNING": "returning",
}  # fmt: skip
# LG's STOP pauses a course (it can be resumed with START); only POWER_OFF ends it.
_APPLIANCE_CONTROLS: Mapping[str, str] = {
    "start": "START", "pause": "STOP", "stop": "POWER_OFF", "turn_off": "POWER_OFF", "turn_on": "WAKE_UP",
}  # fmt: skip
_VACUUM_CONTROLS: Mapping[str, str] = {"start": "START", "pause": "PAUSE", "stop": "PAUSE", "dock": "HOMING"}
_APPLIANCES = frozenset({DeviceType.WASHER, DeviceType.DRYER, DeviceType.DISHWASHER})


def jibsa_type(thinq_type: str) -> DeviceType | None:
    """The jibsa type of a ThinQ device type, or None when jibsa has none (ovens, stylers...)."""
    return THINQ_TYPES.get(thinq_type)


def device_id_for(thinq_id: str) -> str:
    """`thinq_` and the first twelve letters and digits of LG's device id, lowercased."""
    return "thinq_" + re.sub(r"[^a-z0-9]", "", thinq_id.lower())[:12]


def main_state(state: Any) -> Mapping[str, Any]:
    """The state of the device's MAIN location (or its only one)."""
    if isinstance(state, list):
        for part in state:
            if isinstance(part, Mapping) and part.get("location", {}).get("locationName", "MAIN") == "MAIN":
                return part
        return state[0] if state and isinstance(state[0], Mapping) else {}
    return state if isinstance(state, Mapping) else {}


def values_from_state(kind: DeviceType, thinq_type: str, state: Any) -> dict[str, Any]:
    """jibsa property values read from a ThinQ state; properties the state lacks are left out."""
    main = main_state(state)
    if kind in _APPLIANCES:
        return _appliance_values(main)
    if kind is DeviceType.ROBOT_VACUUM:
        return _vacuum_values(main)
    if kind is DeviceType.REFRIGERATOR:
        return _fridge_values(main)
    values: dict[str, Any] = {}
    power = _get(main, "operation", _OPERATION_KEYS.get(thinq_type, ""))
    if power is not None:
        values["power"] = power == "POWER_ON"
    if kind is DeviceType.AIR_CONDITIONER:
        values.update(_ac_values(main))
    elif kind is DeviceType.AIR_PURIFIER:
        _put(values, "mode", PURIFIER_MODES.get(str(_get(main, "airPurifierJobMode", "currentJobMode"))))
        _put(values, "fan_speed", WIND.get(str(_get(main, "airFlow", "windStrength"))))
        _put(values, "air_quality", AIR_QUALITY.get(str(_get(main, "airQualitySensor", "totalPollutionLevel"))))
    elif kind in (DeviceType.HUMIDIFIER, DeviceType.DEHUMIDIFIER):
        _put(values, "humidity", _get(main, "humidity", "targetHumidity"))
        _put(values, "current_humidity", _get(main, "humidity", "currentHumidity"))
    elif kind is DeviceType.FAN:
        _put(values, "fan_speed", WIND.get(str(_get(main, "airFlow", "windStrength"))))
    return values


def _appliance_values(main: Mapping[str, Any]) -> dict[str, Any]:
    current = _get(main, "runState", "currentState")
    values: dict[str, Any] = {}
    if current is not None:
        values["power"] = current != "POWER_OFF"
        values["run_state"] = _run_state(str(current))
    hours, minutes = _get(main, "timer", "remainHour"), _get(main, "timer", "remainMinute")
    if isinstance(hours, int) and isinstance(minutes, int):
        values["remaining_time"] = hours * 3600 + minutes * 60
    return values


def _run_state(current: str) -> str:
    if current in _IDLE:
        return "idle"
    if current in _PAUSED:
        return "paused"
    if current in _FINISHED:
        return "finished"
    return "running"


def _vacuum_values(main: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    _put(values, "run_state", VACUUM_STATES.get(str(_get(main, "runState", "currentState"))))
    _put(values, "battery", _get(main, "battery", "percent"))
    return values


def _fridge_values(main: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for entry in main.get("temperatureInUnits") or ():
        name = {"FRIDGE": "temperature", "FREEZER": "freezer_temperature"}.get(entry.get("locationName"))
        if name is not None:
            _put(values, name, entry.get("targetTemperatureC"))
    doors = [d.get("doorState") for d in main.get("doorStatus") or () if isinstance(d, Mapping)]
    if doors:
        values["door"] = any(d == "OPEN" for d in doors)
    return values


def _ac_values(main: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    temperature = main.get("temperature")
    if not isinstance(temperature, Mapping):  # newer models: one entry per unit
        units = main.get("temperatureInUnits") or ()
        temperature = next((t for t in units if isinstance(t, Mapping) and t.get("unit") == "C"), {})
    _put(values, "temperature", temperature.get("targetTemperature"))
    _put(values, "current_temperature", temperature.get("currentTemperature"))
    _put(values, "mode", AC_MODES.get(str(_get(main, "airConJobMode", "currentJobMode"))))
    _put(values, "fan_speed", WIND.get(str(_get(main, "airFlow", "windStrength"))))
    return values


def control_for(kind: DeviceType, thinq_type: str, action: DeviceAction) -> dict[str, Any]:
    """The control payload that carries out `action`; `UnsupportedAction` when there is none."""
    operation = _OPERATION_KEYS.get(thinq_type, "")
    intent = action.intent
    if kind in _APPLIANCES and intent in _APPLIANCE_CONTROLS:
        return {"operation": {operation: _APPLIANCE_CONTROLS[intent]}}
    if kind is DeviceType.ROBOT_VACUUM and intent in _VACUUM_CONTROLS:
        return {"operation": {operation: _VACUUM_CONTROLS[intent]}}
    if intent in ("turn_on", "turn_off") or (intent == "set" and action.property == "power"):
        on = intent == "turn_on" or (intent == "set" and bool(action.value))
        if not operation or kind in _APPLIANCES:
            raise UnsupportedAction(intent)
        return {"operation": {operation: "POWER_ON" if on else "POWER_OFF"}}
    if intent == "set":
        return _set_control(kind, str(action.property), action.value)
    raise UnsupportedAction(intent)


def _set_control(kind: DeviceType, prop: str, value: Any) -> dict[str, Any]:
    if kind is DeviceType.REFRIGERATOR and prop in ("temperature", "freezer_temperature"):
        location = "FRIDGE" if prop == "temperature" else "FREEZER"
        return {"temperatureInUnits": {"locationName": location, "targetTemperatureC": value}}
    if kind is DeviceType.AIR_CONDITIONER and prop == "temperature":
        return {"temperature": {"targetTemperature": value, "unit": "C"}}
    if prop == "mode" and kind in _JOB_RESOURCES:
        modes = AC_MODES if kind is DeviceType.AIR_CONDITIONER else PURIFIER_MODES
        return {_JOB_RESOURCES[kind]: {"currentJobMode": vendor_word(modes, value)}}
    if prop == "fan_speed" and kind in (DeviceType.AIR_CONDITIONER, DeviceType.AIR_PURIFIER, DeviceType.FAN):
        return {"airFlow": {"windStrength": vendor_word(WIND, value)}}
    if prop == "humidity" and kind in (DeviceType.HUMIDIFIER, DeviceType.DEHUMIDIFIER):
        return {"humidity": {"targetHumidity": value}}
    raise UnsupportedAction(f"set {prop}")


def _get(state: Mapping[str, Any], resource: str, prop: str) -> Any:
    part = state.get(resource)
    return part.get(prop) if isinstance(part, Mapping) else None


def _put(values: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        values[name] = value
