"""The live state of a home's devices, and the availability of each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import AvailabilityChanged, Home, StateChanged
from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus


class StateTable:
    """Holds every device's state; turns each report into a `StateChanged` event on the bus."""

    def __init__(self, home: Home, bus: EventBus, clock: Clock) -> None:
        self.home = home
        self._bus = bus
        self._clock = clock
        self._states: dict[str, dict[str, Any]] = {d.id: {} for d in home.devices}
        self._available: dict[str, bool] = {d.id: True for d in home.devices}
        self._causes: dict[str, tuple[Mapping[str, Any], float]] = {}  # device -> (cause, until)
        self._doubted: set[str] = set()  # devices whose state here may lag the device itself

    def restore(self, saved: Mapping[str, Mapping[str, Any]]) -> None:
        """Take states from storage before adapters start (no events: nothing changed)."""
        for device_id, state in saved.items():
            if device_id in self._states:
                self._states[device_id] = dict(state)

    def add(self, device_id: str) -> None:
        self._states.setdefault(device_id, {})
        self._available.setdefault(device_id, True)

    def remove(self, device_id: str) -> None:
        self._states.pop(device_id, None)
        self._available.pop(device_id, None)

    def get(self, device_id: str) -> dict[str, Any]:
        return self._states.get(device_id, {})

    def all(self) -> Mapping[str, Mapping[str, Any]]:
        return self._states

    def available(self, device_id: str) -> bool:
        return self._available.get(device_id, False)

    def expect_cause(self, device_id: str, cause: Mapping[str, Any], until: float) -> None:
        """Changes `device_id` reports until `until` (clock seconds) were caused by `cause` (a command)."""
        self._causes[device_id] = (cause, until)

    def _cause_of(self, device_id: str) -> Mapping[str, Any] | None:
        expected = self._causes.get(device_id)
        if expected is None:
            return None
        if self._clock.now() > expected[1]:
            del self._causes[device_id]
            return None
        return expected[0]

    def report(self, device_id: str, values: Mapping[str, Any]) -> StateChanged | None:
        """Merge `values` into the device's state; publish and return the change, if any. Every report,
        changed or not, ends a doubt about the device's state."""
        old = self._states.get(device_id)
        if old is None:
            return None
        self._doubted.discard(device_id)
        if all(k in old and old[k] == v for k, v in values.items()):
            return None
        new = {**old, **values}
        self._states[device_id] = new
        event = StateChanged(self.home.id, device_id, old, new, self._clock.now(), self._cause_of(device_id))
        self._bus.publish(event)
        return event

    def doubt(self, device_id: str) -> None:
        """A command may have reached the device without its state saying so (it was sent, and no state
        confirmed it in time): until the device reports again, its state here proves nothing."""
        self._doubted.add(device_id)

    def trusted(self, device_id: str) -> bool:
        """Whether the device's state here may be taken as the device's own (no doubt since its last report)."""
        return device_id not in self._doubted

    def set_available(self, device_id: str, available: bool) -> None:
        if device_id not in self._available or self._available[device_id] == available:
            return
        self._available[device_id] = available
        self._bus.publish(AvailabilityChanged(self.home.id, device_id, available, self._clock.now()))
