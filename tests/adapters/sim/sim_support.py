"""Helpers for the simulator's tests (a uniquely named module: several test folders have a conftest):
devices of any type, a sink that records what it is told, and a way to run a model through time."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from jibsa import testing
from jibsa.adapters.sim import Simulator
from jibsa.domain import Device, DeviceType


def make_device(kind: str, device_id: str | None = None, **fields: Any) -> Device:
    return Device(id=device_id or kind, name=kind, type=DeviceType(kind), **fields)


class RecordingSink(testing.RecordingSink):
    """Records like any adapter's test sink; the simulator discovering or removing a device is a bug."""

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        raise AssertionError("the simulator discovers nothing")

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        raise AssertionError("the simulator removes nothing")


def drive(
    sim: Simulator, state: dict[str, Any], seconds: float, step: float = 1.0, rng: random.Random | None = None
) -> list[dict[str, Any]]:
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
