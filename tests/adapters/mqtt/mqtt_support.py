"""Helpers for the MQTT tests (a uniquely named module: several test folders have a conftest)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from jibsa.hub import Hub
from jibsa.testing.mosquitto import MOSQUITTO, Broker

__all__ = ["MOSQUITTO", "Broker", "until"]


async def until(hub: Hub, condition: Callable[[], bool], what: str, limit: float = 10.0) -> None:
    """Wait, event by event on the hub's bus, until `condition()` holds; fail saying what did not happen."""
    with hub.bus.subscribe(maxsize=100_000) as events:
        try:
            async with asyncio.timeout(limit):
                while not condition():
                    await events.get()
        except TimeoutError:
            pytest.fail(f"{what}: did not happen within {limit} s")
