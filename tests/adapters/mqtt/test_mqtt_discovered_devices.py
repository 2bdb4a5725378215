"""Devices the home file does not list, found on a real broker as Zigbee2MQTT announces them:
their retained state arrives with them, and one availability topic shared by many is followed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiomqtt
import pytest
from mqtt_support import until

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, ErrorCode

pytestmark = pytest.mark.mosquitto
BRIDGE = "zigbee2mqtt/bridge/state"


def z2m_light(name: str) -> bytes:
    """A light as Zigbee2MQTT announces it: abbreviated keys, `~`, JSON schema, bridge availability."""
    return json.dumps({
        "~": f"zigbee2mqtt/{name}", "name": None, "uniq_id": f"0x{name}_light", "obj_id": name, "schema": "json",
        "stat_t": "~", "cmd_t": "~/set", "brightness": True, "brightness_scale": 254,
        "avty": [{"t": BRIDGE, "val_tpl": "{{ value_json.state }}"}],
        "dev": {"ids": [f"0x{name}"], "name": name, "mf": "IKEA", "sa": "거실"},
    }).encode()  # fmt: skip


async def announce(port: int, name: str, state: dict[str, object]) -> None:
    async with aiomqtt.Client("127.0.0.1", port) as client:
        await client.publish(f"homeassistant/light/{name}/light/config", z2m_light(name), qos=1, retain=True)
        await client.publish(f"zigbee2mqtt/{name}", json.dumps(state), qos=1, retain=True)


@pytest.fixture
async def running(broker, tmp_path: Path) -> AsyncIterator[RunningHome]:  # type: ignore[no-untyped-def]
    async with aiomqtt.Client("127.0.0.1", broker.port) as client:
        await client.publish(BRIDGE, json.dumps({"state": "online"}), qos=1, retain=True)
    await announce(broker.port, "lamp_a", {"state": "ON", "brightness": 127})
    await announce(broker.port, "lamp_b", {"state": "OFF", "brightness": 254})
    home = await open_home(
        Settings(
            data_dir=tmp_path, adapter_settings={"mqtt": {"url": broker.url, "announce": "false"}}, command_timeout=2.0
        )
    )
    yield home
    await home.close()


async def test_discovered_devices_come_with_their_retained_state_and_room(running: RunningHome) -> None:
    hub = running.hub
    await until(
        hub,
        lambda: hub.state("lamp_a").get("brightness") == 50 and "power" in hub.state("lamp_b"),
        "both lamps with their states",
    )
    lamp = hub.home.device("lamp_a")
    assert lamp is not None and lamp.vendor == "mqtt" and lamp.room == "living" and lamp.type.value == "light"
    assert hub.state("lamp_a")["power"] is True and hub.state("lamp_b") == {"power": False, "brightness": 100}


async def test_a_shared_availability_topic_reaches_every_device_and_late_ones(
    broker,
    running: RunningHome,  # type: ignore[no-untyped-def]
) -> None:
    hub = running.hub
    await until(hub, lambda: "power" in hub.state("lamp_a") and "power" in hub.state("lamp_b"), "both lamps")
    async with aiomqtt.Client("127.0.0.1", broker.port) as client:
        await client.publish(BRIDGE, json.dumps({"state": "offline"}), qos=1, retain=True)
    await until(
        hub, lambda: not hub.states.available("lamp_a") and not hub.states.available("lamp_b"), "both lamps unavailable"
    )
    await announce(broker.port, "lamp_c", {"state": "ON", "brightness": 10})
    await until(
        hub,
        lambda: hub.home.device("lamp_c") is not None and not hub.states.available("lamp_c"),
        "a lamp announced later is unavailable too",
    )
    outcome = await hub.execute(Command("turn_off", ("lamp_c",)))
    assert outcome.results[0].error is ErrorCode.NOT_ANSWERING
