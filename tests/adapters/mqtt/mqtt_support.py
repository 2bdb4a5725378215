"""Helpers for the MQTT tests (a uniquely named module: several test folders have a conftest)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from jibsa.app import RunningHome, Settings, open_home
from jibsa.hub import Hub
from jibsa.testing.mosquitto import MOSQUITTO, Broker

__all__ = ["MOSQUITTO", "Broker", "open_over_mqtt", "until"]


async def open_over_mqtt(broker: Broker, data_dir: Path, command_timeout: float = 2.0) -> RunningHome:
    """The sample home with its simulated devices reached over `broker` (as `jibsa simulate` serves them)."""
    settings = Settings(
        data_dir=data_dir,
        adapter_settings={"mqtt": {"url": broker.url}},
        devices_over_mqtt=True,
        command_timeout=command_timeout,
    )
    return await open_home(settings)


async def until(hub: Hub, condition: Callable[[], bool], what: str, limit: float = 10.0) -> None:
    """Wait, event by event on the hub's bus, until `condition()` holds; fail saying what did not happen."""
    with hub.bus.subscribe(maxsize=100_000) as events:
        try:
            async with asyncio.timeout(limit):
                while not condition():
                    await events.get()
        except TimeoutError:
            pytest.fail(f"{what}: did not happen within {limit} s")
