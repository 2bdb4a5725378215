"""Matter device types as jibsa devices: which jibsa type an endpoint is, its state read from the
node's attributes, and the cluster commands or attribute writes that carry out an action.

Cluster types, commands and enums come from home-assistant-chip-clusters (`chip.clusters.Objects`),
device types from python-matter-server's client models: no cluster or attribute id is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chip.clusters import Objects as Clusters
from chip.clusters.ClusterObjects import ClusterCommand
from chip.clusters.Types import Nullable
from matter_server.client.models import device_types as matter_types
from matter_server.client.models.node import MatterEndpoint

from jibsa.domain import DeviceAction, DeviceType

_Fan = Clusters.FanControl.Enums.FanModeEnum
_Mode = Clusters.Thermostat.Enums.SystemModeEnum
_Lock = Clusters.DoorLock.Enums.DlLockState
LOCK_TIMED_MS = 1000  # door lock commands must be sent as timed requests (Matter core spec)
Attribute = type[Any]  # a chip.clusters attribute descriptor class (Clusters.OnOff.Attributes.OnOff)


@dataclass(frozen=True, slots=True)
class Invoke:
    """Send a cluster command to the endpoint."""

    command: ClusterCommand
    timed_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Write:
    """Write one attribute of the endpoint."""

    attribute: Attribute
    value: Any


Operation = Invoke | Write


class NotSupported(Exception):
    """The action has no Matter equivalent on this endpoint."""


@dataclass(frozen=True, slots=True)
class Kind:
    """How one family of Matter device types becomes one jibsa type."""

    type: DeviceType
    read: Callable[[MatterEndpoint], dict[str, Any]]
    operations: Callable[[DeviceAction, MatterEndpoint], list[Operation]]
    measures: tuple[str, ...] = ()
    watched: tuple[Attribute, ...] = ()  # the attributes read back right after a command

    def read_back_paths(self, endpoint: MatterEndpoint) -> list[str]:
        """Attribute paths ("endpoint/cluster/attribute") of `watched` that the endpoint has."""
        return [
            f"{endpoint.endpoint_id}/{a.cluster_id}/{a.attribute_id}"
            for a in self.watched
            if endpoint.has_attribute(None, a)
        ]


def _value(endpoint: MatterEndpoint, attribute: Attribute) -> Any:
    """The attribute's value; None when the endpoint lacks it or it is null (Matter's "unknown")."""
    if not endpoint.has_attribute(None, attribute):
        return None
    value = endpoint.get_attribute_value(None, attribute)
    return None if isinstance(value, Nullable) else value


# -- lights -------------------------------------------------------------------------------------

_HUES = {"red": 0, "orange": 30, "yellow": 60, "green": 120, "blue": 240, "purple": 280, "pink": 330}
_WHITES = {"white": 250, "warm_white": 370}  # colour temperatures in mireds (4000 K, 2700 K)


def _read_light(endpoint: MatterEndpoint) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if (on := _value(endpoint, Clusters.OnOff.Attributes.OnOff)) is not None:
        values["power"] = bool(on)
    if (level := _value(endpoint, Clusters.LevelControl.Attributes.CurrentLevel)) is not None:
        values["brightness"] = max(1, min(100, round(level * 100 / 254)))
    if (color := _read_color(endpoint)) is not None:
        values["color"] = color
    return values


def _read_color(endpoint: MatterEndpoint) -> str | None:
    mode = _value(endpoint, Clusters.ColorControl.Attributes.ColorMode)
    if mode == Clusters.ColorControl.Enums.ColorModeEnum.kColorTemperatureMireds:
        mireds = _value(endpoint, Clusters.ColorControl.Attributes.ColorTemperatureMireds)
        return None if mireds is None else ("warm_white" if mireds >= 300 else "white")
    if mode == Clusters.ColorControl.Enums.ColorModeEnum.kCurrentHueAndCurrentSaturation:
        hue = _value(endpoint, Clusters.ColorControl.Attributes.CurrentHue)
        saturation = _value(endpoint, Clusters.ColorControl.Attributes.CurrentSaturation)
        if hue is None or saturation is None:
            return None
        if saturation < 60:
            return "white"
        degrees = hue * 360 / 254
        return min(_HUES, key=lambda name: min(abs(_HUES[name] - degrees), 360 - abs(_HUES[name] - degrees)))
    return None


def _light_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    if action.intent in ("turn_on", "turn_off") or action.property == "power":
        on = action.intent == "turn_on" or (action.intent == "set" and bool(action.value))
        return [Invoke(Clusters.OnOff.Commands.On() if on else Clusters.OnOff.Commands.Off())]
    if action.property == "brightness" and endpoint.has_cluster(Clusters.LevelControl):
        level = max(1, min(254, round(float(action.value) * 254 / 100)))
        return [
            Invoke(
                Clusters.LevelControl.Commands.MoveToLevelWithOnOff(
                    level=level, transitionTime=0, optionsMask=0, optionsOverride=0
                )
            )
        ]
    if action.property == "color" and endpoint.has_cluster(Clusters.ColorControl):
        name = str(action.value)
        if name in _WHITES:
            return [
                Invoke(
                    Clusters.ColorControl.Commands.MoveToColorTemperature(
                        colorTemperatureMireds=_WHITES[name], transitionTime=0, optionsMask=0, optionsOverride=0
                    )
                )
            ]
        if name in _HUES:
            return [
                Invoke(
                    Clusters.ColorControl.Commands.MoveToHueAndSaturation(
                        hue=round(_HUES[name] * 254 / 360),
                        saturation=254,
                        transitionTime=0,
                        optionsMask=0,
                        optionsOverride=0,
                    )
                )
            ]
    raise NotSupported


# -- plugs, locks, covers -----------------------------------------------------------------------


def _read_switch(endpoint: MatterEndpoint) -> dict[str, Any]:
    on = _value(endpoint, Clusters.OnOff.Attributes.OnOff)
    return {} if on is None else {"power": bool(on)}


def _switch_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    if action.intent in ("turn_on", "turn_off") or action.property == "power":
        on = action.intent == "turn_on" or (action.intent == "set" and bool(action.value))
        return [Invoke(Clusters.OnOff.Commands.On() if on else Clusters.OnOff.Commands.Off())]
    raise NotSupported


def _read_lock(endpoint: MatterEndpoint) -> dict[str, Any]:
    state = _value(endpoint, Clusters.DoorLock.Attributes.LockState)
    if state is None:  # null: the lock does not know (jammed, never moved)
        return {}
    return {"lock": "locked" if state == _Lock.kLocked else "unlocked"}


def _lock_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    if action.intent == "lock" or (action.property == "lock" and action.value == "locked"):
        return [Invoke(Clusters.DoorLock.Commands.LockDoor(), LOCK_TIMED_MS)]
    if action.intent == "unlock" or (action.property == "lock" and action.value == "unlocked"):
        return [Invoke(Clusters.DoorLock.Commands.UnlockDoor(), LOCK_TIMED_MS)]
    raise NotSupported


def _read_cover(endpoint: MatterEndpoint) -> dict[str, Any]:
    # Matter counts how far the cover is closed (0 = fully open); jibsa how far it is open.
    closed = _value(endpoint, Clusters.WindowCovering.Attributes.CurrentPositionLiftPercent100ths)
    if closed is not None:
        return {"position": 100 - round(closed / 100)}
    percent = _value(endpoint, Clusters.WindowCovering.Attributes.CurrentPositionLiftPercentage)
    return {} if percent is None else {"position": 100 - int(percent)}


def _cover_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    commands = Clusters.WindowCovering.Commands
    if action.intent in ("open", "turn_on"):
        return [Invoke(commands.UpOrOpen())]
    if action.intent in ("close", "turn_off"):
        return [Invoke(commands.DownOrClose())]
    if action.intent == "stop":
        return [Invoke(commands.StopMotion())]
    if action.property == "position":
        return [Invoke(commands.GoToLiftPercentage(liftPercent100thsValue=round((100 - float(action.value)) * 100)))]
    raise NotSupported


# -- climate ------------------------------------------------------------------------------------

_MODES = {_Mode.kHeat: "heat", _Mode.kCool: "cool", _Mode.kAuto: "auto"}
_FAN_SPEEDS = {_Fan.kLow: "low", _Fan.kMedium: "mid", _Fan.kHigh: "high", _Fan.kAuto: "auto", _Fan.kOn: "high"}


def _read_thermostat(endpoint: MatterEndpoint) -> dict[str, Any]:
    attributes = Clusters.Thermostat.Attributes
    values: dict[str, Any] = {}
    mode = _value(endpoint, attributes.SystemMode)
    if mode is not None:
        values["power"] = mode != _Mode.kOff
        if mode in _MODES:
            values["mode"] = _MODES[mode]
    setpoint = attributes.OccupiedCoolingSetpoint if mode == _Mode.kCool else attributes.OccupiedHeatingSetpoint
    if (target := _value(endpoint, setpoint)) is not None:
        values["temperature"] = target / 100
    if (here := _value(endpoint, attributes.LocalTemperature)) is not None:
        values["current_temperature"] = here / 100
    return values


def _thermostat_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    attributes = Clusters.Thermostat.Attributes
    if action.intent == "turn_off" or (action.property == "power" and not action.value):
        return [Write(attributes.SystemMode, _Mode.kOff)]
    if action.intent == "turn_on" or action.property == "power":
        return [Write(attributes.SystemMode, _Mode.kHeat)]
    if action.property == "mode":
        return [Write(attributes.SystemMode, next(m for m, name in _MODES.items() if name == action.value))]
    if action.property == "temperature":
        cooling = _value(endpoint, attributes.SystemMode) == _Mode.kCool
        setpoint = attributes.OccupiedCoolingSetpoint if cooling else attributes.OccupiedHeatingSetpoint
        return [Write(setpoint, round(float(action.value) * 100))]
    raise NotSupported


def _read_fan(endpoint: MatterEndpoint) -> dict[str, Any]:
    mode = _value(endpoint, Clusters.FanControl.Attributes.FanMode)
    if mode is None:
        return {}
    values: dict[str, Any] = {"power": mode != _Fan.kOff}
    if mode in _FAN_SPEEDS:
        values["fan_speed"] = _FAN_SPEEDS[mode]
    return values


def _fan_operations(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    attribute = Clusters.FanControl.Attributes.FanMode
    if action.intent == "turn_off" or (action.property == "power" and not action.value):
        return [Write(attribute, _Fan.kOff)]
    if action.intent == "turn_on" or action.property == "power":
        return [Write(attribute, _Fan.kOn)]
    if action.property == "fan_speed":
        speeds = {"low": _Fan.kLow, "mid": _Fan.kMedium, "high": _Fan.kHigh, "auto": _Fan.kAuto}
        return [Write(attribute, speeds[str(action.value)])]
    raise NotSupported


# -- sensors ------------------------------------------------------------------------------------


def _reading(attribute: Attribute, measure: str, scale: float = 1.0) -> Callable[[MatterEndpoint], dict[str, Any]]:
    def read(endpoint: MatterEndpoint) -> dict[str, Any]:
        value = _value(endpoint, attribute)
        return {} if value is None else {measure: value * scale if scale != 1.0 else value}

    return read


def _read_occupancy(endpoint: MatterEndpoint) -> dict[str, Any]:
    value = _value(endpoint, Clusters.OccupancySensing.Attributes.Occupancy)
    return {} if value is None else {"occupancy": bool(int(value) & 1)}


def _read_contact(endpoint: MatterEndpoint) -> dict[str, Any]:
    # A contact sensor's StateValue is true while the contact is made: the door is closed.
    value = _value(endpoint, Clusters.BooleanState.Attributes.StateValue)
    return {} if value is None else {"door": not value}


def _read_only(action: DeviceAction, endpoint: MatterEndpoint) -> list[Operation]:
    raise NotSupported


_LIGHT_ATTRIBUTES = (
    Clusters.OnOff.Attributes.OnOff,
    Clusters.LevelControl.Attributes.CurrentLevel,
    Clusters.ColorControl.Attributes.ColorMode,
    Clusters.ColorControl.Attributes.CurrentHue,
    Clusters.ColorControl.Attributes.CurrentSaturation,
    Clusters.ColorControl.Attributes.ColorTemperatureMireds,
)
_THERMOSTAT_ATTRIBUTES = (
    Clusters.Thermostat.Attributes.SystemMode,
    Clusters.Thermostat.Attributes.OccupiedHeatingSetpoint,
    Clusters.Thermostat.Attributes.OccupiedCoolingSetpoint,
)
_LIGHT = Kind(DeviceType.LIGHT, _read_light, _light_operations, watched=_LIGHT_ATTRIBUTES)
_SWITCH = Kind(DeviceType.SWITCH, _read_switch, _switch_operations, watched=(Clusters.OnOff.Attributes.OnOff,))

# Matter device types, most specific first: an endpoint becomes the first whose type it has.
KINDS: tuple[tuple[type[matter_types.DeviceType], Kind], ...] = (
    (matter_types.DoorLock, Kind(DeviceType.DOOR_LOCK, _read_lock, _lock_operations,
                                 watched=(Clusters.DoorLock.Attributes.LockState,))),
    (matter_types.WindowCovering, Kind(DeviceType.BLIND, _read_cover, _cover_operations, watched=(
        Clusters.WindowCovering.Attributes.CurrentPositionLiftPercent100ths,))),
    (matter_types.Thermostat, Kind(DeviceType.THERMOSTAT, _read_thermostat, _thermostat_operations,
                                   watched=_THERMOSTAT_ATTRIBUTES)),
    (matter_types.Fan, Kind(DeviceType.FAN, _read_fan, _fan_operations,
                            watched=(Clusters.FanControl.Attributes.FanMode,))),
    *((t, _LIGHT) for t in (matter_types.ExtendedColorLight, matter_types.ColorTemperatureLight,
                            matter_types.DimmableLight, matter_types.OnOffLight)),
    *((t, _SWITCH) for t in (matter_types.OnOffPlugInUnit, matter_types.DimmablePlugInUnit)),
    (matter_types.TemperatureSensor, Kind(DeviceType.SENSOR, _reading(
        Clusters.TemperatureMeasurement.Attributes.MeasuredValue, "temperature", 0.01), _read_only, ("temperature",))),
    (matter_types.HumiditySensor, Kind(DeviceType.SENSOR, _reading(
        Clusters.RelativeHumidityMeasurement.Attributes.MeasuredValue, "humidity", 0.01), _read_only, ("humidity",))),
    (matter_types.OccupancySensor, Kind(DeviceType.SENSOR, _read_occupancy, _read_only, ("occupancy",))),
    (matter_types.ContactSensor, Kind(DeviceType.SENSOR, _read_contact, _read_only, ("door",))),
)  # fmt: skip


def kind_of(endpoint: MatterEndpoint) -> Kind | None:
    """The jibsa kind of an endpoint, or None when it has no device type jibsa drives."""
    for matter_type, kind in KINDS:
        if matter_type in endpoint.device_types:
            return kind
    return None
