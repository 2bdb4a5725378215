"""Washers, dryers and dishwashers: a cycle (코스) runs for its length, counting `remaining_time`
down while running (not while paused), then finishes with the power left on, as real ones do."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import DeviceError

from .base import Simulator, changed, exact, power_change, refuse_intent, refuse_property

MINUTE = 60

# Cycle (코스) lengths in seconds by the name shown on the machine, and other names people use.
WASHER_CYCLES: Mapping[str, int] = {
    "표준": 70 * MINUTE, "쾌속": 30 * MINUTE, "울": 50 * MINUTE, "이불": 80 * MINUTE, "삶음": 110 * MINUTE,
    "섬세": 45 * MINUTE, "헹굼탈수": 25 * MINUTE, "탈수": 12 * MINUTE,
}  # fmt: skip
DRYER_CYCLES: Mapping[str, int] = {
    "표준": 90 * MINUTE, "쾌속": 40 * MINUTE, "이불": 100 * MINUTE, "울": 60 * MINUTE, "타월": 80 * MINUTE,
    "섬세": 60 * MINUTE,
}  # fmt: skip
DISHWASHER_CYCLES: Mapping[str, int] = {
    "표준": 100 * MINUTE, "쾌속": 40 * MINUTE, "강력": 130 * MINUTE, "절전": 160 * MINUTE, "불림": 20 * MINUTE,
}  # fmt: skip
CYCLE_ALIASES: Mapping[str, str] = {
    "standard": "표준", "normal": "표준", "quick": "쾌속", "speed": "쾌속", "스피드": "쾌속", "wool": "울",
    "bedding": "이불", "boil": "삶음", "delicate": "섬세", "rinse": "헹굼탈수", "헹굼": "헹굼탈수", "spin": "탈수",
    "towel": "타월", "수건": "타월", "intensive": "강력", "eco": "절전", "soak": "불림",
}  # fmt: skip
DEFAULT_CYCLE = "표준"


class ApplianceSimulator(Simulator):
    """A machine that runs cycles. `_remaining` holds the exact seconds behind `remaining_time`."""

    def __init__(self, kind: str, cycles: Mapping[str, int]) -> None:
        self.kind = kind
        self.cycles = cycles

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {"power": False, "run_state": "idle", "remaining_time": 0, "cycle": DEFAULT_CYCLE, "_remaining": 0.0}

    def cycle_name(self, said: Any) -> str:
        """The machine's own name for a cycle said as `said` ("울 코스", "wool" → "울")."""
        word = str(said).replace(" ", "").lower().removesuffix("코스").removesuffix("cycle")
        name = CYCLE_ALIASES.get(word, word)
        if name not in self.cycles:
            raise DeviceError(f"the {self.kind} has no cycle '{said}'; it has {', '.join(self.cycles)}", "bad_value")
        return name

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        run_state = state.get("run_state", "idle")
        if action.intent == "start":
            return self._start(action, state)
        if action.intent == "pause":
            return {"run_state": "paused"} if run_state == "running" else {}
        if action.intent == "stop":
            return {"run_state": "idle", "remaining_time": 0, "_remaining": 0.0}
        change = power_change(action)
        if change is not None:
            # Turning a machine off ends its cycle; turning it on leaves it ready (idle).
            return (
                change if change["power"] else {**change, "run_state": "idle", "remaining_time": 0, "_remaining": 0.0}
            )
        if action.intent == "set" and action.property == "cycle":
            if run_state in ("running", "paused"):
                raise DeviceError(f"the {self.kind} cannot change its cycle while it runs; stop it first")
            return {"cycle": self.cycle_name(action.value), "power": True}
        if action.intent == "set":
            raise refuse_property(self.kind, action.property)
        raise refuse_intent(self.kind, action)

    def _start(self, action: DeviceAction, state: Mapping[str, Any]) -> dict[str, Any]:
        run_state = state.get("run_state", "idle")
        said = action.options.get("cycle")
        cycle = self.cycle_name(said) if said else self.cycle_name(state.get("cycle", DEFAULT_CYCLE))
        if run_state == "running" and (not said or cycle == state.get("cycle")):
            return {}  # already running: nothing to do
        if run_state == "paused" and (not said or cycle == state.get("cycle")):
            return {"run_state": "running", "power": True}  # resume where it stopped
        if run_state in ("running", "paused"):
            raise DeviceError(f"the {self.kind} is already running {state.get('cycle')}; stop it first")
        length = float(self.cycles[cycle])
        return {
            "power": True,
            "run_state": "running",
            "cycle": cycle,
            "remaining_time": int(length),
            "_remaining": length,
        }

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        if state.get("run_state") != "running":
            return {}
        left = max(0.0, exact(state, "_remaining", "remaining_time", 1.0) - dt)
        if left <= 0:
            return changed(state, {"run_state": "finished", "remaining_time": 0, "_remaining": 0.0})
        return changed(state, {"remaining_time": math.ceil(left), "_remaining": left})

    def is_active(self, state: Mapping[str, Any]) -> bool:
        return state.get("run_state") == "running"


WASHER = ApplianceSimulator("washer", WASHER_CYCLES)
DRYER = ApplianceSimulator("dryer", DRYER_CYCLES)
DISHWASHER = ApplianceSimulator("dishwasher", DISHWASHER_CYCLES)
