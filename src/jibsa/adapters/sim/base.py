"""What every simulated device type shares: the `Simulator` interface and small numeric helpers.

A simulator is stateless. The state of a device is a plain dict the adapter keeps (and the hub
persists); keys that start with "_" are the simulator's own bookkeeping (a curtain's target, the
exact value behind a rounded reading), kept so that a restart continues where the device was.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import DeviceError

SNAP = 0.01  # an exponential approach closer than this to its goal has arrived


class Simulator(ABC):
    """How one type of device behaves: its first state, what a command does, how it changes with time."""

    drifts: ClassVar[bool] = False  # changes a little on its own all the time (advanced only now and then)

    @abstractmethod
    def initial_state(self, device: Device) -> dict[str, Any]:
        """The state of a device fresh out of the box, with every property of its type."""

    @abstractmethod
    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        """The values `action` sets; raises `DeviceError` for what the device refuses."""

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        """The values that change when `dt` seconds pass (any `dt`, however large)."""
        return {}

    def is_active(self, state: Mapping[str, Any]) -> bool:
        """Whether `advance` could change anything: idle devices are not ticked."""
        return False

    def quiet_for(self, state: Mapping[str, Any], marks: Sequence[float] = ()) -> float:
        """Seconds during which `advance` changes nothing shown and the reading passes none of `marks`
        (where the device's draw changes): an active device is ticked again after them. 0: on every tick."""
        return 0.0


def refuse_intent(kind: str, action: DeviceAction) -> DeviceError:
    return DeviceError(f"a {kind} cannot {action.intent}", "unsupported_intent")


def refuse_property(kind: str, prop: str | None) -> DeviceError:
    return DeviceError(f"a {kind} has no settable {prop}", "unsupported_property")


def waking(action: DeviceAction, change: Mapping[str, Any]) -> dict[str, Any]:
    """`change` with the device switched on, as setting a value on a device that is off does, unless the
    command asked to keep its power as it is (`keep_power`: "+" on the sheet of an AC that is off)."""
    return {**change} if action.options.get("keep_power") else {**change, "power": True}


def power_change(action: DeviceAction) -> dict[str, Any] | None:
    """`{"power": …}` for turn_on/turn_off/set power, else None."""
    if action.intent == "turn_on":
        return {"power": True}
    if action.intent == "turn_off":
        return {"power": False}
    if action.intent == "set" and action.property == "power":
        return {"power": bool(action.value)}
    return None


def tidy(value: float, digits: int = 1) -> float | int:
    """`value` rounded as people read it: an int when whole (24, not 24.0), else `digits` decimals."""
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def exact(state: Mapping[str, Any], hidden: str, shown: str, tolerance: float, default: float = 0.0) -> float:
    """The exact value behind a rounded one: the bookkeeping key while it agrees with what is shown
    (within `tolerance`), else the shown value (someone set it, or the state predates the key)."""
    visible = _number(state.get(shown))
    kept = _number(state.get(hidden))
    if kept is not None and (visible is None or abs(kept - visible) <= tolerance):
        return kept
    return visible if visible is not None else default


def approach(value: float, goal: float, dt: float, tau: float) -> float:
    """Where `value` is after `dt` seconds of exponential approach to `goal` with time constant `tau`."""
    following = goal + (value - goal) * math.exp(-dt / tau)
    return goal if abs(following - goal) < SNAP else following


def time_to_cross(value: float, goal: float, tau: float, distances: Sequence[float]) -> float:
    """Seconds until an exponential approach from `value` to `goal` comes within the largest of
    `distances` (from the goal) smaller than where it is now; 0 when none is."""
    away = abs(value - goal)
    nearest = max((d for d in distances if 0 < d < away), default=0.0)
    return tau * math.log(away / nearest) if nearest > 0 else 0.0


def changed(state: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `new` that differ from `state`."""
    missing = object()
    return {k: v for k, v in new.items() if state.get(k, missing) != v}
