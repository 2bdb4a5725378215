"""Helpers for the simulator's tests (a uniquely named module: several test folders have a conftest):
devices of any type, a sink that records what it is told, and a way to run a model through time."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.adapters.sim import Simulator
from jibsa.domain import Device, DeviceType


def make_device(kind: str, device_id: str | None = None, **fields: Any) -> Device:
    return Device(id=device_id or kind, name=kind, type=DeviceType(kind), **fields)


class RecordingSink:
    """An AdapterSink that keeps every report, in order, and the merged state per device."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, dict[str, Any]]] = []
        self.availability: list[tuple[str, bool]] = []
        self.states: dict[str, dict[str, Any]] = {}

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        self.reports.append((device_id, dict(values)))
        self.states.setdefault(device_id, {}).update(values)

    def availability_reported(self, device_id: str, available: bool) -> None:
        self.availability.append((device_id, available))

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        raise AssertionError("the simulator discovers nothing")

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        raise AssertionError("the simulator removes nothing")

    def reports_for(self, device_id: str) -> list[dict[str, Any]]:
        return [values for d, values in self.reports if d == device_id]


def drive(sim: Simulator, state: dict[str, Any], seconds: float, step: float = 1.0,
          rng: random.Random | None = None) -> list[dict[str, Any]]:
    """Advance `state` in place by `seconds`, `step` at a time; the change of each step."""
    rng = rng or random.Random(0)
    changes = []
    elapsed = 0.0
    while elapsed < seconds - 1e-9:
        dt = min(step, seconds - elapsed)
        change = sim.advance(state, dt, rng)
        state.update(change)
        changes.append(change)
        elapsed += dt
    return changes
