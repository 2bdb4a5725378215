"""What a device's state should show once an action took effect, and waiting until it does.

The hub confirms a command by the device's own reported state, not by the broker's or the
cloud's acknowledgement: an acknowledged message may never reach the device.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from jibsa.domain import Device, DeviceAction, StateChanged
from jibsa.hub.events import EventBus

# Intents whose effect is one property taking one value, when the device's type has that property.
_INTENT_STATES: Mapping[str, tuple[str, Any]] = {
    "turn_on": ("power", True), "turn_off": ("power", False),
    "lock": ("lock", "locked"), "unlock": ("lock", "unlocked"),
}  # fmt: skip
_OPENING: Mapping[str, Mapping[str, Any]] = {
    "open": {"position": 100, "valve": "open"}, "close": {"position": 0, "valve": "closed"},
}  # fmt: skip

Expected = Mapping[str, Any] | None  # None: any reported change confirms (start, stop, dock ...)


def expected_state(device: Device, action: DeviceAction) -> Expected:
    """The property values `action` should leave on `device`; None when no one value says so."""
    names = set(device.spec.property_names)
    if action.intent == "set" and action.property:
        return {action.property: action.value}
    for prop, value in _OPENING.get(action.intent, {}).items():
        if prop in names:
            return {prop: value}
    pair = _INTENT_STATES.get(action.intent)
    if pair is not None and pair[0] in names:
        return {pair[0]: pair[1]}
    return None


def shows(device: Device, state: Mapping[str, Any], expected: Mapping[str, Any]) -> bool:
    """Whether `state` shows every expected value. Numbers may differ by the rounding a device's own
    scale brings (brightness 0-254 read back as a percentage): half a unit, or 1% of the range."""
    for prop, want in expected.items():
        have = state.get(prop)
        if _is_number(want) and _is_number(have):
            if abs(have - want) > _tolerance(device, prop):
                return False
        elif have != want:
            return False
    return True


def _tolerance(device: Device, prop: str) -> float:
    spec = device.property_spec(prop)
    if spec is None or spec.maximum is None or spec.minimum is None:
        return 0.5
    return max(0.5, (spec.maximum - spec.minimum) / 100)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class StateWatch:
    """Futures that complete when a device's reported state shows expected values (or, with no
    expectation, changes at all). One bus listener serves every waiter."""

    def __init__(self, bus: EventBus) -> None:
        self._waiting: dict[str, list[tuple[Device, Expected, asyncio.Future[None]]]] = {}
        bus.listen(self._on_event)

    def expect(self, device: Device, expected: Expected) -> asyncio.Future[None]:
        """A future completed by the first state change of `device` that shows `expected`; call
        `forget` with it once done waiting."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(device.id, []).append((device, expected, future))
        return future

    def forget(self, device_id: str, future: asyncio.Future[None]) -> None:
        waiters = self._waiting.get(device_id, [])
        self._waiting[device_id] = [w for w in waiters if w[2] is not future]
        if not self._waiting[device_id]:
            del self._waiting[device_id]
        future.cancel()

    def _on_event(self, event: object) -> None:
        if not isinstance(event, StateChanged) or event.device_id not in self._waiting:
            return
        for device, expected, future in self._waiting[event.device_id]:
            if not future.done() and (expected is None or shows(device, event.new, expected)):
                future.set_result(None)
