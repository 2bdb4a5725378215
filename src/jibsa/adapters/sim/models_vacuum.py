"""A robot vacuum: it cleans (draining its battery), goes home when the job is done, when its
battery runs low or when told to, and charges on its dock. Solved event by event, so one step of
an hour gives the same result as 3,600 steps of a second."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import DeviceError

from .base import Simulator, changed, exact, refuse_intent

DRAIN_PER_S = 1 / 60  # % of battery per second while cleaning or driving home (~1 %/min)
CHARGE_PER_S = 2 / 60  # % per second on the dock (~2 %/min)
LOW_BATTERY = 15.0  # % at which it gives up and goes home
ROOM_S = 20 * 60  # seconds to clean one room (start with an area)
HOME_S = 60 * 60  # seconds to clean the whole home (start without an area)
RETURN_S = 30.0  # seconds to drive back to the dock


class VacuumSimulator(Simulator):
    """Bookkeeping: `_battery` (exact %), `_clean_left` (seconds of cleaning left in the job),
    `_return_left` (seconds until it reaches the dock), `_area` (the room it cleans, or None)."""

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {
            "run_state": "docked",
            "battery": 100,
            "_battery": 100.0,
            "_clean_left": 0.0,
            "_return_left": 0.0,
            "_area": None,
        }

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        run_state = state.get("run_state", "docked")
        if action.intent == "start":
            return self._start(action, state)
        if action.intent == "pause":
            return {"run_state": "paused"} if run_state in ("cleaning", "returning") else {}
        if action.intent in ("dock", "stop"):
            # The spec's states have no "stopped": stopping a job sends the robot home, as 제트봇 does.
            if run_state == "docked":
                return {}
            return {"run_state": "returning", "_return_left": RETURN_S, "_clean_left": 0.0, "_area": None}
        raise refuse_intent("robot_vacuum", action)

    def _start(self, action: DeviceAction, state: Mapping[str, Any]) -> dict[str, Any]:
        battery = _battery(state)
        if battery <= LOW_BATTERY:
            raise DeviceError(f"the robot vacuum's battery is at {battery:.0f}%: it must charge first")
        area = action.options.get("area")
        left = float(state.get("_clean_left") or 0.0)
        same_job = area is None or area == state.get("_area")
        if state.get("run_state") in ("cleaning", "paused") and same_job and left > 0:
            return {"run_state": "cleaning"}  # resume the job it was doing
        return {
            "run_state": "cleaning",
            "_area": area,
            "_clean_left": float(ROOM_S if area else HOME_S),
            "_return_left": 0.0,
        }

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        run_state = str(state.get("run_state", "docked"))
        battery = _battery(state)
        clean_left = float(state.get("_clean_left") or 0.0)
        return_left = float(state.get("_return_left") or 0.0)
        area = state.get("_area")
        remaining = dt
        while remaining > 0 and run_state in ("cleaning", "returning"):
            if run_state == "cleaning":
                step = max(0.0, min(remaining, clean_left, (battery - LOW_BATTERY) / DRAIN_PER_S))
                battery -= step * DRAIN_PER_S
                clean_left -= step
                if clean_left <= 0 or battery <= LOW_BATTERY + 1e-9:
                    run_state, return_left, clean_left, area = "returning", RETURN_S, 0.0, None
            else:
                step = min(remaining, return_left)
                battery = max(0.0, battery - step * DRAIN_PER_S)
                return_left -= step
                if return_left <= 0:
                    run_state, return_left = "docked", 0.0
            remaining -= step
        if run_state == "docked" and remaining > 0:
            battery = min(100.0, battery + remaining * CHARGE_PER_S)
        new = {
            "run_state": run_state,
            "battery": _shown(battery),
            "_battery": battery,
            "_clean_left": clean_left,
            "_return_left": return_left,
            "_area": area,
        }
        return changed(state, new)

    def is_active(self, state: Mapping[str, Any]) -> bool:
        run_state = state.get("run_state")
        return run_state in ("cleaning", "returning") or (run_state == "docked" and _battery(state) < 100)

    def quiet_for(self, state: Mapping[str, Any], marks: Sequence[float] = ()) -> float:
        """Until the shown battery turns over, or the job, the way home or the charge ends."""
        run_state, battery = state.get("run_state"), _battery(state)
        shown = _shown(battery)
        if run_state == "cleaning":
            left = float(state.get("_clean_left") or 0.0)
            ahead = [left, (battery - LOW_BATTERY) / DRAIN_PER_S, (battery - shown) / DRAIN_PER_S]
        elif run_state == "returning":
            ahead = [float(state.get("_return_left") or 0.0), (battery - shown) / DRAIN_PER_S]
        elif run_state == "docked":
            ahead = [(min(100.0, shown + 1 - 1e-6) - battery) / CHARGE_PER_S, (100.0 - battery) / CHARGE_PER_S]
        else:
            return 0.0
        return max(0.0, min(ahead))


def _battery(state: Mapping[str, Any]) -> float:
    return exact(state, "_battery", "battery", 1.0, 100.0)


def _shown(battery: float) -> int:
    return math.floor(battery + 1e-6)  # batteries show whole percent, rounded down (and float noise ignored)


ROBOT_VACUUM = VacuumSimulator()
