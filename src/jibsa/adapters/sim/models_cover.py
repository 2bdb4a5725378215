"""Curtains, blinds, windows and garage doors: they move to a position at their own speed, so a
curtain told to open reports 10, 20, … 100 over ten seconds, and `stop` halts it where it is."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from jibsa.domain import Device, DeviceAction

from .base import Simulator, changed, exact, refuse_intent, refuse_property

_GOALS: Mapping[str, int] = {"open": 100, "turn_on": 100, "close": 0, "turn_off": 0}


class CoverSimulator(Simulator):
    """Bookkeeping: `_target` (where it is going, None when still) and `_position` (exact position)."""

    def __init__(self, kind: str, travel_s: float) -> None:
        self.kind = kind
        self.speed = 100.0 / travel_s  # % per second

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {"position": 0, "_position": 0.0, "_target": None}

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        here = _position(state)
        if action.intent == "stop":
            return {"_target": None, "position": round(here), "_position": here}
        if action.intent in _GOALS:
            goal = float(_GOALS[action.intent])
        elif action.intent == "set" and action.property == "position":
            goal = float(action.value)
        elif action.intent == "set":
            raise refuse_property(self.kind, action.property)
        else:
            raise refuse_intent(self.kind, action)
        return {"_target": None if goal == here else goal, "_position": here}

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        target = state.get("_target")
        if target is None:
            return {}
        here = _position(state)
        travel = self.speed * dt
        if abs(target - here) <= travel:
            return changed(state, {"position": round(target), "_position": float(target), "_target": None})
        here += travel if target > here else -travel
        return changed(state, {"position": round(here), "_position": here})

    def is_active(self, state: Mapping[str, Any]) -> bool:
        return state.get("_target") is not None


def _position(state: Mapping[str, Any]) -> float:
    return exact(state, "_position", "position", 0.501)


CURTAIN = CoverSimulator("curtain", 10)
BLIND = CoverSimulator("blind", 20)
WINDOW = CoverSimulator("window", 15)
GARAGE_DOOR = CoverSimulator("garage_door", 15)
