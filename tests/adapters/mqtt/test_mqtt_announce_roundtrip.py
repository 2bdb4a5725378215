"""What a jibsa device announces, the hub reads back: every type's configs, states and commands."""

from __future__ import annotations

import json

import pytest

from jibsa.adapters.mqtt.announce import AnnouncedDevice
from jibsa.adapters.mqtt.discovery import parse_config
from jibsa.adapters.mqtt.drivers import device_from, driver_for
from jibsa.adapters.sim import simulator_for
from jibsa.domain import Device, DeviceAction, DeviceType
from jibsa.home_file import load_home

HOME = load_home(None).home
ACTIONS = {
    DeviceType.LIGHT: DeviceAction("x", "set", "brightness", 40),
    DeviceType.SWITCH: DeviceAction("x", "turn_on"),
    DeviceType.FAN: DeviceAction("x", "set", "fan_speed", "high"),
    DeviceType.AIR_CONDITIONER: DeviceAction("x", "set", "temperature", 23.5),
    DeviceType.CURTAIN: DeviceAction("x", "set", "position", 40),
    DeviceType.DOOR_LOCK: DeviceAction("x", "unlock"),
    DeviceType.GAS_VALVE: DeviceAction("x", "close"),
    DeviceType.ROBOT_VACUUM: DeviceAction("x", "dock"),
    DeviceType.HUMIDIFIER: DeviceAction("x", "set", "humidity", 55),
    DeviceType.WASHER: DeviceAction("x", "start", options={"cycle": "쾌속"}),
    DeviceType.TV: DeviceAction("x", "set", "channel", 11),
}


def entities(device: Device) -> list:  # type: ignore[type-arg]
    announced = AnnouncedDevice(device, "jibsa/node", "node", "jibsa/node/status", "거실")
    out = []
    for item in announced.announcements():
        cfg = parse_config(
            f"homeassistant/{item.component}/node/{item.object_id}/config", json.dumps(item.config).encode()
        )
        assert cfg is not None
        out.append(driver_for(cfg))
    return out


@pytest.mark.parametrize("device", HOME.devices, ids=lambda d: d.id)
def test_every_sample_device_is_read_back_as_itself(device: Device) -> None:
    drivers = entities(device)
    found = device_from(HOME, device.id, drivers)
    assert found.type is device.type and found.measures == device.measures and found.room == "living"
    state = simulator_for(device.type).initial_state(device)
    shown = {k: v for k, v in state.items() if not k.startswith("_")}
    announced = AnnouncedDevice(device, "jibsa/node", "node", "jibsa/node/status")
    read: dict = {}
    for topic, payload in announced.state_messages(shown):
        for driver in drivers:
            if topic in driver.state_topics():
                read.update(driver.read(topic, payload))
    for key, value in read.items():
        assert shown.get(key, value) == value or (key == "power" and value is False), (key, value, shown)
    assert read, f"{device.id}: nothing read back from {announced.state_messages(shown)}"


@pytest.mark.parametrize("kind", list(ACTIONS), ids=lambda k: k.value)
def test_every_command_the_hub_sends_is_the_action_the_device_gets(kind: DeviceType) -> None:
    device = Device("x", "기기", kind)
    (driver, *_) = entities(device)
    announced = AnnouncedDevice(device, "jibsa/node", "node", "jibsa/node/status")
    action = ACTIONS[kind]
    received = [a for topic, payload in driver.write(action) for a in announced.actions(topic, payload)]
    assert received[-1] == action
