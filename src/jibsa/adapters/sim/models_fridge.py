"""A refrigerator: setting a compartment's temperature takes effect at once (what the display shows);
an open door lets both compartments warm towards the kitchen, and once it closes they cool back."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from jibsa.domain import Device, DeviceAction

from .base import Simulator, approach, changed, exact, refuse_intent, refuse_property, tidy

KITCHEN = 22.0  # °C the compartments warm towards with the door open
# property -> (exact key, target key, default, seconds constant with the door closed, with it open)
COMPARTMENTS: Mapping[str, tuple[str, str, float, float, float]] = {
    "temperature": ("_fridge", "_fridge_target", 3.0, 900.0, 1800.0),
    "freezer_temperature": ("_freezer", "_freezer_target", -18.0, 1800.0, 3600.0),
}


class RefrigeratorSimulator(Simulator):
    """Bookkeeping: `_fridge`/`_freezer` (exact temperatures) and `_fridge_target`/`_freezer_target`."""

    def initial_state(self, device: Device) -> dict[str, Any]:
        state: dict[str, Any] = {"door": False}
        for prop, (hidden, target, default, _, _) in COMPARTMENTS.items():
            state.update({prop: tidy(default), hidden: default, target: default})
        return state

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        if action.intent != "set":
            raise refuse_intent("refrigerator", action)
        prop = action.property or ""
        if prop not in COMPARTMENTS:
            raise refuse_property("refrigerator", action.property)
        hidden, target, _, _, _ = COMPARTMENTS[prop]
        value = float(action.value)
        return {prop: action.value, hidden: value, target: value}

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        new: dict[str, Any] = {}
        for prop, (hidden, _, _, closed_tau, open_tau) in COMPARTMENTS.items():
            tau = open_tau if state.get("door") else closed_tau
            value = approach(self._reading(state, prop), self._goal(state, prop), dt, tau)
            new.update({hidden: value, prop: tidy(value)})
        return changed(state, new)

    def is_active(self, state: Mapping[str, Any]) -> bool:
        return any(abs(self._reading(state, p) - self._goal(state, p)) > 1e-9 for p in COMPARTMENTS)

    def _reading(self, state: Mapping[str, Any], prop: str) -> float:
        hidden, _, default, _, _ = COMPARTMENTS[prop]
        return exact(state, hidden, prop, 0.051, default)

    def _goal(self, state: Mapping[str, Any], prop: str) -> float:
        _, target, default, _, _ = COMPARTMENTS[prop]
        return KITCHEN if state.get("door") else float(state.get(target, default))


REFRIGERATOR = RefrigeratorSimulator()
