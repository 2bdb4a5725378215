"""The device types of the contract (section 2): their properties, ranges, units and intents.

This table is the one place that says what a type of device can do. The hub checks every command
against it, the simulator keeps to it, and the parser uses it to decide which intents make sense. Each
type's names in each language sit beside it, in kind_names.yaml (`kind_names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml


class DeviceType(StrEnum):
    LIGHT = "light"
    SWITCH = "switch"
    FAN = "fan"
    AIR_CONDITIONER = "air_conditioner"
    BOILER = "boiler"
    THERMOSTAT = "thermostat"
    AIR_PURIFIER = "air_purifier"
    HUMIDIFIER = "humidifier"
    DEHUMIDIFIER = "dehumidifier"
    WASHER = "washer"
    DRYER = "dryer"
    DISHWASHER = "dishwasher"
    REFRIGERATOR = "refrigerator"
    ROBOT_VACUUM = "robot_vacuum"
    TV = "tv"
    SPEAKER = "speaker"
    CURTAIN = "curtain"
    BLIND = "blind"
    WINDOW = "window"
    GARAGE_DOOR = "garage_door"
    DOOR_LOCK = "door_lock"
    GAS_VALVE = "gas_valve"
    SENSOR = "sensor"


class ValueKind(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    CHOICE = "choice"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One property of a device type: its kind, its range or choices, its unit, whether it can be set."""

    name: str
    kind: ValueKind
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()
    writable: bool = True
    step: float = 1.0

    def clamp(self, value: float) -> float:
        """The value brought inside this property's range."""
        if self.minimum is not None and value < self.minimum:
            return self.minimum
        if self.maximum is not None and value > self.maximum:
            return self.maximum
        return value


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """What a device type has and accepts."""

    type: DeviceType
    properties: tuple[PropertySpec, ...]
    intents: frozenset[str]
    default_property: str | None = None  # what "올려/내려" and a bare number mean for this type

    def property_spec(self, name: str) -> PropertySpec | None:
        for spec in self.properties:
            if spec.name == name:
                return spec
        return None

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


def _power() -> PropertySpec:
    return PropertySpec("power", ValueKind.BOOL)


def _num(name: str, lo: float, hi: float, unit: str = "", *, writable: bool = True, step: float = 1.0) -> PropertySpec:
    return PropertySpec(name, ValueKind.NUMBER, lo, hi, unit, writable=writable, step=step)


def _choice(name: str, *choices: str, writable: bool = True) -> PropertySpec:
    return PropertySpec(name, ValueKind.CHOICE, choices=choices, writable=writable)


def _reading(name: str, lo: float, hi: float, unit: str) -> PropertySpec:
    return _num(name, lo, hi, unit, writable=False, step=0.1)


COLORS = ("white", "warm_white", "red", "orange", "yellow", "green", "blue", "purple", "pink")
FAN_SPEEDS = ("low", "mid", "high", "auto")
RUN_STATES = ("idle", "running", "paused", "finished")
VACUUM_STATES = ("docked", "cleaning", "paused", "returning")

_ON_OFF = frozenset({"turn_on", "turn_off"})
_CLIMATE = _ON_OFF | {"set", "adjust", "query_state"}
_APPLIANCE = frozenset({"start", "stop", "pause", "turn_on", "turn_off", "query_state"})
_COVER = frozenset({"open", "close", "set", "adjust", "query_state", "stop"})


def _cover(kind: DeviceType) -> TypeSpec:
    return TypeSpec(kind, (_num("position", 0, 100, "%"),), _COVER, "position")


def _appliance(kind: DeviceType) -> TypeSpec:
    return TypeSpec(
        kind,
        (
            _power(),
            _choice("run_state", *RUN_STATES, writable=False),
            _num("remaining_time", 0, 6 * 3600, "s", writable=False),
            PropertySpec("cycle", ValueKind.TEXT),
        ),
        _APPLIANCE,
    )


def _climate(kind: DeviceType, lo: float, hi: float, modes: tuple[str, ...], *extra: PropertySpec) -> TypeSpec:
    props = (
        _power(),
        _num("temperature", lo, hi, "°C", step=0.5),
        _reading("current_temperature", -30, 60, "°C"),
        _choice("mode", *modes),
        *extra,
    )
    return TypeSpec(kind, props, _CLIMATE, "temperature")


def _humidity(kind: DeviceType) -> TypeSpec:
    props = (_power(), _num("humidity", 30, 80, "%"), _reading("current_humidity", 0, 100, "%"))
    return TypeSpec(kind, props, _CLIMATE, "humidity")


# Sensor readings people ask for, with their ranges. Home Assistant's binary classes are booleans.
SENSOR_READINGS: dict[str, PropertySpec] = {
    "temperature": _reading("temperature", -40, 80, "°C"),
    "humidity": _reading("humidity", 0, 100, "%"),
    "air_quality": _choice("air_quality", "good", "moderate", "bad", "very_bad", writable=False),
    "pm25": _reading("pm25", 0, 1000, "µg/m³"),
    "co2": _reading("co2", 0, 10000, "ppm"),
    "illuminance": _reading("illuminance", 0, 100000, "lx"),
    "power": _reading("power", 0, 100000, "W"),
    "energy": _reading("energy", 0, 1e9, "kWh"),
    "battery": _reading("battery", 0, 100, "%"),
}
BINARY_SENSOR_CLASSES = frozenset(
    {
        "motion", "occupancy", "presence", "door", "window", "opening", "garage_door", "smoke", "gas",
        "carbon_monoxide", "moisture", "sound", "vibration", "tamper", "problem", "connectivity",
        "running", "plug", "update", "cold", "heat", "light", "safety", "lock", "battery_charging",
    }
)  # fmt: skip
SENSOR_MEASURES = frozenset(SENSOR_READINGS) | BINARY_SENSOR_CLASSES


def sensor_property(measure: str) -> PropertySpec:
    """The read-only property a sensor has for one of its `measures`."""
    if measure in SENSOR_READINGS:
        return SENSOR_READINGS[measure]
    return PropertySpec(measure, ValueKind.BOOL, writable=False)


TYPE_SPECS: dict[DeviceType, TypeSpec] = {
    DeviceType.LIGHT: TypeSpec(
        DeviceType.LIGHT,
        (_power(), _num("brightness", 1, 100, "%"), _choice("color", *COLORS)),
        _ON_OFF | {"set", "adjust", "query_state"},
        "brightness",
    ),
    DeviceType.SWITCH: TypeSpec(DeviceType.SWITCH, (_power(),), _ON_OFF | {"query_state"}),
    DeviceType.FAN: TypeSpec(
        DeviceType.FAN,
        (_power(), _choice("fan_speed", *FAN_SPEEDS)),
        _ON_OFF | {"set", "adjust", "query_state"},
        "fan_speed",
    ),
    DeviceType.AIR_CONDITIONER: _climate(
        DeviceType.AIR_CONDITIONER, 16, 30, ("cool", "heat", "dry", "fan", "auto"), _choice("fan_speed", *FAN_SPEEDS)
    ),
    DeviceType.BOILER: _climate(DeviceType.BOILER, 5, 40, ("heat", "away", "hot_water")),
    DeviceType.THERMOSTAT: _climate(DeviceType.THERMOSTAT, 5, 35, ("heat", "cool", "auto")),
    DeviceType.AIR_PURIFIER: TypeSpec(
        DeviceType.AIR_PURIFIER,
        (
            _power(),
            _choice("mode", "auto", "sleep", "turbo"),
            _choice("fan_speed", "low", "mid", "high"),
            _choice("air_quality", "good", "moderate", "bad", "very_bad", writable=False),
        ),
        _CLIMATE,
        "fan_speed",
    ),
    DeviceType.HUMIDIFIER: _humidity(DeviceType.HUMIDIFIER),
    DeviceType.DEHUMIDIFIER: _humidity(DeviceType.DEHUMIDIFIER),
    DeviceType.WASHER: _appliance(DeviceType.WASHER),
    DeviceType.DRYER: _appliance(DeviceType.DRYER),
    DeviceType.DISHWASHER: _appliance(DeviceType.DISHWASHER),
    DeviceType.REFRIGERATOR: TypeSpec(
        DeviceType.REFRIGERATOR,
        (
            _num("temperature", 0, 7, "°C"),
            _num("freezer_temperature", -23, -15, "°C"),
            PropertySpec("door", ValueKind.BOOL, writable=False),
        ),
        frozenset({"set", "adjust", "query_state"}),
        "temperature",
    ),
    DeviceType.ROBOT_VACUUM: TypeSpec(
        DeviceType.ROBOT_VACUUM,
        (_choice("run_state", *VACUUM_STATES, writable=False), _num("battery", 0, 100, "%", writable=False)),
        frozenset({"start", "stop", "pause", "dock", "query_state"}),
    ),
    DeviceType.TV: TypeSpec(
        DeviceType.TV,
        (_power(), _num("volume", 0, 100), _num("channel", 1, 999), PropertySpec("mute", ValueKind.BOOL)),
        _CLIMATE,
        "volume",
    ),
    DeviceType.SPEAKER: TypeSpec(DeviceType.SPEAKER, (_power(), _num("volume", 0, 100)), _CLIMATE, "volume"),
    DeviceType.CURTAIN: _cover(DeviceType.CURTAIN),
    DeviceType.BLIND: _cover(DeviceType.BLIND),
    DeviceType.WINDOW: _cover(DeviceType.WINDOW),
    DeviceType.GARAGE_DOOR: _cover(DeviceType.GARAGE_DOOR),
    DeviceType.DOOR_LOCK: TypeSpec(
        DeviceType.DOOR_LOCK, (_choice("lock", "locked", "unlocked"),), frozenset({"lock", "unlock", "query_state"})
    ),
    DeviceType.GAS_VALVE: TypeSpec(
        DeviceType.GAS_VALVE, (_choice("valve", "open", "closed", writable=False),), frozenset({"close", "query_state"})
    ),
    DeviceType.SENSOR: TypeSpec(DeviceType.SENSOR, (), frozenset({"query_state"})),
}


def type_spec(kind: DeviceType) -> TypeSpec:
    return TYPE_SPECS[kind]


KIND_NAMES_FILE = "kind_names.yaml"
NAME_USES = ("reply", "page")  # what a reply calls several of a kind; what the page calls one


def kind_names(lang: str, use: str) -> Mapping[DeviceType, str]:
    """Every device type's name in `lang` for `use` (`reply`: "불", "lights"; `page`: "조명", "Light")."""
    return _kind_names()[lang, use]


@cache
def _kind_names() -> Mapping[tuple[str, str], Mapping[DeviceType, str]]:
    text = resources.files("jibsa.domain").joinpath(KIND_NAMES_FILE).read_text(encoding="utf-8")
    return read_kind_names(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def read_kind_names(data: Any) -> Mapping[tuple[str, str], Mapping[DeviceType, str]]:
    """kind_names.yaml's `data`, checked: every type has every use in every language the file has; a gap
    or an unknown kind is a ValueError naming the file, the kind and the field."""
    where = f"domain/{KIND_NAMES_FILE}"
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{where}: expected each device kind with its names by language")
    if unknown := sorted(set(data) - {kind.value for kind in DeviceType}):
        raise ValueError(f"{where}: {unknown[0]}: no such device kind")
    languages = sorted({lang for names in data.values() for lang in names})
    found: dict[tuple[str, str], dict[DeviceType, str]] = {}
    for kind in DeviceType:
        for lang in languages:
            names = data.get(kind.value, {}).get(lang)
            for use in NAME_USES:
                name = names.get(use) if isinstance(names, dict) else None
                if not isinstance(name, str) or not name.strip():
                    raise ValueError(f"{where}: {kind.value}.{lang}.{use}: missing")
                found.setdefault((lang, use), {})[kind] = name
    return found
