"""A real Mosquitto on a free port for each test that asks for one (it can be stopped and restarted), and the
sample home's appliances simulated on it as `jibsa simulate` runs them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from mqtt_support import MOSQUITTO, Broker

from jibsa.adapters.mqtt import parse_broker_url
from jibsa.home_file import load_home
from jibsa.hub import SystemClock
from jibsa.simulated_home import MqttSimulator


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    running = Broker(tmp_path)
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def simulator(broker: Broker) -> AsyncIterator[MqttSimulator]:
    """The sample home's appliances over MQTT, connected to `broker`."""
    simulator = MqttSimulator(load_home(None).home, parse_broker_url(broker.url), SystemClock())
    await simulator.start()
    async with asyncio.timeout(10):
        await simulator.publisher.wait_connected()
    yield simulator
    await simulator.stop()
