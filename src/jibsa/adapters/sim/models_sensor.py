"""Sensors: readings wander as in a lived-in home (a bounded random walk pulled back towards a
usual value, one step per simulated minute, from an injected `random.Random`); binary classes
(motion, door, smoke, …) stay as they are until someone sets them (`SimAdapter.inject`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.domain import Device, DeviceAction
from jibsa.domain.device_types import BINARY_SENSOR_CLASSES

from .base import Simulator, changed, exact, refuse_intent, tidy
from .models_climate import air_grade

STEP_S = 60.0  # one random-walk step per minute of simulated time
MAX_STEPS = 1440  # after a day the walk has forgotten where it started: more steps add nothing
PULL = 0.02  # share of the distance back to the usual value closed each step


@dataclass(frozen=True, slots=True)
class Walk:
    """How one reading wanders: its usual value, step size, bounds and the decimals it is shown with."""

    usual: float
    sigma: float
    low: float
    high: float
    digits: int = 0

    def step(self, value: float, rng: random.Random) -> float:
        moved = value + PULL * (self.usual - value) + rng.gauss(0.0, self.sigma)
        # Rounded at every step, so that an hour in one call equals sixty calls of a minute.
        return round(min(self.high, max(self.low, moved)), self.digits)


WALKS: Mapping[str, Walk] = {
    "temperature": Walk(24.5, 0.1, 15, 32, 1),
    "humidity": Walk(45, 0.5, 20, 80, 1),
    "pm25": Walk(12, 1.0, 1, 80),
    "co2": Walk(600, 10, 400, 2000),
    "illuminance": Walk(300, 10, 0, 2000),
    "power": Walk(40, 2, 0, 500, 1),
}
STEADY: Mapping[str, Any] = {"battery": 87, "energy": 120.0, "air_quality": "good"}
HIDDEN_PM = Walk(12, 1.0, 1, 80, 1)  # the dust behind air_quality when the sensor shows no pm25
_MOVING = frozenset({*WALKS, "air_quality", "energy"})  # what `advance` looks at


class SensorSimulator(Simulator):
    """A sensor with the properties its `measures` list. Bookkeeping: `_energy` (exact kWh) and
    `_pm` (fine dust behind `air_quality` when `pm25` is not measured)."""

    drifts: ClassVar[bool] = True

    def initial_state(self, device: Device) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for measure in device.measures:
            if measure in WALKS:
                state[measure] = tidy(WALKS[measure].usual, WALKS[measure].digits)
            elif measure in STEADY:
                state[measure] = STEADY[measure]
            elif measure in BINARY_SENSOR_CLASSES:
                state[measure] = False
        if "energy" in state:
            state["_energy"] = float(state["energy"])
        if "air_quality" in state and "pm25" not in state:
            state["_pm"] = HIDDEN_PM.usual
        return state

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        raise refuse_intent("sensor", action)

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        if dt <= 0 or _MOVING.isdisjoint(state):  # a motion or door sensor: nothing of it moves with time
            return {}
        steps = min(MAX_STEPS, max(1, round(dt / STEP_S)))
        new: dict[str, Any] = {}
        for measure, walk in WALKS.items():
            if isinstance(state.get(measure), (int, float)):
                value = float(state[measure])
                for _ in range(steps):
                    value = walk.step(value, rng)
                new[measure] = tidy(value, walk.digits)
        if "air_quality" in state:
            new.update(self._air(state, new, steps, rng))
        if "energy" in state:
            watts = float(new.get("power", state.get("power", WALKS["power"].usual)))
            kwh = exact(state, "_energy", "energy", 0.0051) + watts * dt / 3_600_000
            new.update({"_energy": kwh, "energy": tidy(kwh, 2)})
        return changed(state, new)

    def _air(self, state: Mapping[str, Any], new: Mapping[str, Any], steps: int, rng: random.Random) -> dict[str, Any]:
        if "pm25" in new:
            return {"air_quality": air_grade(float(new["pm25"]))}
        pm = float(state.get("_pm", HIDDEN_PM.usual))
        for _ in range(steps):
            pm = HIDDEN_PM.step(pm, rng)
        return {"_pm": pm, "air_quality": air_grade(pm)}


SENSOR = SensorSimulator()
