"""Matter device types as jibsa devices: states read from a node's attributes and the commands that
carry out actions, on python-matter-server's own node model (the objects the adapter gets)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from chip.clusters import Objects as Clusters
from matter_server.client.models import device_types as matter_types
from matter_server.client.models.node import MatterNode
from matter_server.common.models import MatterNodeData

from jibsa.adapters.matter.kinds import Invoke, NotSupported, Write, kind_of
from jibsa.domain import DeviceAction, DeviceType


def endpoint(device_type: type[matter_types.DeviceType], values: dict[Any, Any]) -> Any:
    """Endpoint 1 of a node of `device_type` whose attributes (descriptor classes) have `values`."""
    attributes = {
        "0/29/0": [{"0": matter_types.RootNode.device_type, "1": 1}],
        "1/29/0": [{"0": device_type.device_type, "1": 1}],
    }
    attributes |= {f"1/{a.cluster_id}/{a.attribute_id}": v for a, v in values.items()}
    now = datetime.now(UTC)
    node = MatterNode(
        MatterNodeData(
            node_id=7,
            date_commissioned=now,
            last_interview=now,
            interview_version=6,
            available=True,
            is_bridge=False,
            attributes=attributes,
        )
    )
    return node.endpoints[1]


OnOff, Level, Color = Clusters.OnOff.Attributes, Clusters.LevelControl.Attributes, Clusters.ColorControl.Attributes
Lock, Cover = Clusters.DoorLock.Attributes, Clusters.WindowCovering.Attributes
Thermostat, Fan = Clusters.Thermostat.Attributes, Clusters.FanControl.Attributes


@pytest.mark.parametrize(
    ("device_type", "values", "kind", "state"),
    [
        (
            matter_types.DimmableLight,
            {OnOff.OnOff: True, Level.CurrentLevel: 127},
            DeviceType.LIGHT,
            {"power": True, "brightness": 50},
        ),
        (
            matter_types.DimmableLight,
            {OnOff.OnOff: False, Level.CurrentLevel: 1},
            DeviceType.LIGHT,
            {"power": False, "brightness": 1},
        ),
        (
            matter_types.ExtendedColorLight,
            {OnOff.OnOff: True, Color.ColorMode: 0, Color.CurrentHue: 169, Color.CurrentSaturation: 254},
            DeviceType.LIGHT,
            {"power": True, "color": "blue"},
        ),
        (
            matter_types.ColorTemperatureLight,
            {OnOff.OnOff: True, Color.ColorMode: 2, Color.ColorTemperatureMireds: 370},
            DeviceType.LIGHT,
            {"power": True, "color": "warm_white"},
        ),
        (matter_types.OnOffPlugInUnit, {OnOff.OnOff: True}, DeviceType.SWITCH, {"power": True}),
        (matter_types.DoorLock, {Lock.LockState: 1}, DeviceType.DOOR_LOCK, {"lock": "locked"}),
        (matter_types.DoorLock, {Lock.LockState: 2}, DeviceType.DOOR_LOCK, {"lock": "unlocked"}),
        (matter_types.DoorLock, {Lock.LockState: None}, DeviceType.DOOR_LOCK, {}),  # null: the lock does not know
        (
            matter_types.WindowCovering,
            {Cover.CurrentPositionLiftPercent100ths: 2500},
            DeviceType.BLIND,
            {"position": 75},
        ),
        (
            matter_types.Thermostat,
            {Thermostat.SystemMode: 4, Thermostat.OccupiedHeatingSetpoint: 2150, Thermostat.LocalTemperature: 1980},
            DeviceType.THERMOSTAT,
            {"power": True, "mode": "heat", "temperature": 21.5, "current_temperature": 19.8},
        ),
        (matter_types.Thermostat, {Thermostat.SystemMode: 0}, DeviceType.THERMOSTAT, {"power": False}),
        (matter_types.Fan, {Fan.FanMode: 2}, DeviceType.FAN, {"power": True, "fan_speed": "mid"}),
        (matter_types.Fan, {Fan.FanMode: 0}, DeviceType.FAN, {"power": False}),
        (
            matter_types.TemperatureSensor,
            {Clusters.TemperatureMeasurement.Attributes.MeasuredValue: 2345},
            DeviceType.SENSOR,
            {"temperature": 23.45},
        ),
        (
            matter_types.HumiditySensor,
            {Clusters.RelativeHumidityMeasurement.Attributes.MeasuredValue: 5500},
            DeviceType.SENSOR,
            {"humidity": 55.0},
        ),
        (
            matter_types.OccupancySensor,
            {Clusters.OccupancySensing.Attributes.Occupancy: 1},
            DeviceType.SENSOR,
            {"occupancy": True},
        ),
        (
            matter_types.ContactSensor,
            {Clusters.BooleanState.Attributes.StateValue: True},
            DeviceType.SENSOR,
            {"door": False},
        ),  # contact made: the door is closed
    ],
)
def test_states_read_from_attributes(
    device_type: Any, values: dict[Any, Any], kind: DeviceType, state: dict[str, Any]
) -> None:
    found = kind_of(endpoint(device_type, values))
    assert found is not None and found.type is kind
    assert found.read(endpoint(device_type, values)) == state


def test_an_endpoint_jibsa_does_not_drive_has_no_kind() -> None:
    assert kind_of(endpoint(matter_types.OtaProvider, {})) is None


def _operations(device_type: Any, values: dict[Any, Any], action: DeviceAction) -> list[Any]:
    where = endpoint(device_type, values)
    kind = kind_of(where)
    assert kind is not None
    return kind.operations(action, where)


def test_light_actions_are_cluster_commands() -> None:
    light = (matter_types.ExtendedColorLight, {OnOff.OnOff: False, Level.CurrentLevel: 1, Color.ColorMode: 0})
    [on] = _operations(*light, DeviceAction("x", "turn_on"))
    assert isinstance(on, Invoke) and isinstance(on.command, Clusters.OnOff.Commands.On)
    [level] = _operations(*light, DeviceAction("x", "set", "brightness", 40))
    assert isinstance(level, Invoke) and level.command.level == 102
    [red] = _operations(*light, DeviceAction("x", "set", "color", "red"))
    assert isinstance(red.command, Clusters.ColorControl.Commands.MoveToHueAndSaturation) and red.command.hue == 0
    [warm] = _operations(*light, DeviceAction("x", "set", "color", "warm_white"))
    assert isinstance(warm.command, Clusters.ColorControl.Commands.MoveToColorTemperature)


def test_a_lock_is_locked_and_unlocked_by_timed_commands() -> None:
    [unlock] = _operations(matter_types.DoorLock, {Lock.LockState: 1}, DeviceAction("x", "unlock"))
    assert isinstance(unlock, Invoke) and isinstance(unlock.command, Clusters.DoorLock.Commands.UnlockDoor)
    assert unlock.timed_ms  # Matter requires a timed request for door locks


def test_a_cover_goes_to_a_position_counted_as_matter_counts_it() -> None:
    [go] = _operations(matter_types.WindowCovering, {}, DeviceAction("x", "set", "position", 30))
    assert isinstance(go.command, Clusters.WindowCovering.Commands.GoToLiftPercentage)
    assert go.command.liftPercent100thsValue == 7000  # 30 % open = 70 % closed


def test_climate_is_set_by_writing_attributes() -> None:
    [mode] = _operations(matter_types.Thermostat, {Thermostat.SystemMode: 4}, DeviceAction("x", "turn_off"))
    assert isinstance(mode, Write) and mode.attribute is Thermostat.SystemMode and mode.value == 0
    [target] = _operations(
        matter_types.Thermostat, {Thermostat.SystemMode: 3}, DeviceAction("x", "set", "temperature", 24.5)
    )
    assert target.attribute is Thermostat.OccupiedCoolingSetpoint and target.value == 2450
    [speed] = _operations(matter_types.Fan, {Fan.FanMode: 0}, DeviceAction("x", "set", "fan_speed", "high"))
    assert speed.attribute is Fan.FanMode and speed.value == 3


def test_an_action_a_sensor_cannot_take_is_refused() -> None:
    with pytest.raises(NotSupported):
        _operations(matter_types.TemperatureSensor, {}, DeviceAction("x", "turn_on"))
