"""`RecordingSink`: an `AdapterSink` for testing adapters — jibsa's own and plug-ins' alike.

It keeps every report in order, the merged state per device, and lets a test wait until a
condition holds after some report, without sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jibsa.domain import Device


class RecordingSink:
    def __init__(self) -> None:
        self.states: dict[str, dict[str, Any]] = {}
        self.reports: list[tuple[str, dict[str, Any]]] = []
        self.availability: list[tuple[str, bool]] = []
        self.discovered: list[Device] = []
        self.removed: list[str] = []
        self.moved: list[Device] = []
        self._waiters: list[asyncio.Event] = []

    @property
    def available(self) -> dict[str, bool]:
        """Each device's last reported availability."""
        return dict(self.availability)

    def reports_for(self, device_id: str) -> list[dict[str, Any]]:
        return [values for d, values in self.reports if d == device_id]

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        self.states.setdefault(device_id, {}).update(values)
        self.reports.append((device_id, dict(values)))
        self._wake()

    def availability_reported(self, device_id: str, available: bool) -> None:
        self.availability.append((device_id, available))
        self._wake()

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        self.discovered.extend(devices)
        self._wake()

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        self.removed.extend(device_ids)
        self._wake()

    def devices_moved(self, devices: Sequence[Device]) -> None:
        self.moved.extend(devices)
        self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            waiter.set()
        self._waiters.clear()

    async def wait_for(self, condition: Callable[[], bool], limit: float = 10.0) -> None:
        """Return once `condition()` holds after some report (bounded: a lost report fails the test)."""
        async with asyncio.timeout(limit):
            while not condition():
                waiter = asyncio.Event()
                self._waiters.append(waiter)
                await waiter.wait()
