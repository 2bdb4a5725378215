"""A removed entity's topics are unsubscribed at the broker (ours used to keep them forever).

Mosquitto publishes its own log on `$SYS/broker/log/...` here (`log_dest topic`), so the test waits
for the broker's record of the UNSUBSCRIBE rather than for a time."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import aiomqtt
import pytest
from mqtt_support import MOSQUITTO, Broker, until

from jibsa.app import Settings, open_home

pytestmark = pytest.mark.mosquitto


@pytest.fixture
def logging_broker(tmp_path: Path) -> Iterator[Broker]:
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    broker = Broker(tmp_path)
    broker.config.write_text(
        f"listener {broker.port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest topic\nlog_type all\n",
        encoding="utf-8",
    )
    broker.start()
    yield broker
    broker.stop()


def _plug(name: str) -> bytes:
    return json.dumps(
        {"name": name, "uniq_id": f"{name}_uid", "stat_t": f"plugs/{name}/state", "cmd_t": f"plugs/{name}/set"}
    ).encode()


async def test_a_removed_entitys_state_topic_is_unsubscribed(logging_broker: Broker, tmp_path: Path) -> None:
    async with aiomqtt.Client("127.0.0.1", logging_broker.port) as client:
        await client.publish("homeassistant/switch/plug_a/config", _plug("plug_a"), qos=1, retain=True)
        await client.publish("plugs/plug_a/state", "ON", qos=1, retain=True)
        home = await open_home(
            Settings(data_dir=tmp_path, adapter_settings={"mqtt": {"url": logging_broker.url, "announce": "false"}})
        )
        try:
            await until(home.hub, lambda: home.hub.state("plug_a").get("power") is True, "plug_a with its state")
            await client.subscribe("$SYS/broker/log/#")
            await client.publish("homeassistant/switch/plug_a/config", b"", qos=1, retain=True)  # removed
            async with asyncio.timeout(10):
                async for message in client.messages:
                    text = message.payload.decode() if isinstance(message.payload, bytes) else str(message.payload)
                    if "unsubscribe" in message.topic.value.lower() and "plugs/plug_a/state" in text:
                        break
            assert home.hub.home.device("plug_a") is None
        finally:
            await home.close()
