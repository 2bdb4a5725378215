"""A sink that records what an adapter reports and lets a test wait for a report (no sleeping)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jibsa.adapters.smartthings import SmartThingsSettings
from jibsa.domain import Device
from jibsa.testing.smartthings_server import TOKEN, SmartThingsServer


def settings_for(server: SmartThingsServer, **extra: object) -> SmartThingsSettings:
    """Settings pointing the client at the stand-in cloud."""
    return SmartThingsSettings.from_mapping({"token": TOKEN, "base_url": server.base_url, **extra})


class RecordingSink:
    def __init__(self) -> None:
        self.states: dict[str, dict[str, Any]] = {}
        self.reports: list[tuple[str, dict[str, Any]]] = []
        self.available: dict[str, bool] = {}
        self.discovered: list[Device] = []
        self.removed: list[str] = []
        self._waiters: list[asyncio.Event] = []

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        self.states.setdefault(device_id, {}).update(values)
        self.reports.append((device_id, dict(values)))
        self._wake()

    def availability_reported(self, device_id: str, available: bool) -> None:
        self.available[device_id] = available
        self._wake()

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        self.discovered.extend(devices)
        self._wake()

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        self.removed.extend(device_ids)
        self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            waiter.set()
        self._waiters.clear()

    async def wait_for(self, condition: Callable[[], bool]) -> None:
        """Return once `condition()` holds after some report (guarded: a lost report fails the test)."""
        async with asyncio.timeout(10):
            while not condition():
                waiter = asyncio.Event()
                self._waiters.append(waiter)
                await waiter.wait()
