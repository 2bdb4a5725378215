"""Climate devices: air conditioners, boilers, thermostats, humidifiers, dehumidifiers, air purifiers.

A room reading (temperature, humidity, fine dust) approaches a goal exponentially, solved exactly
for any time step: the goal is the target when the device works towards it, the room's ambient
value (`_ambient`) when it is off or its mode cannot get there (cooling never heats a room).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jibsa.domain import Device, DeviceAction

from .base import (
    SNAP,
    Simulator,
    approach,
    changed,
    exact,
    power_change,
    refuse_intent,
    refuse_property,
    tidy,
    time_to_cross,
    waking,
)

FROST_GUARD = 8.0  # °C a boiler in 외출 (away) mode keeps the home above, so pipes do not freeze
FAN_FACTOR: Mapping[str, float] = {"low": 1.5, "mid": 1.0, "high": 0.7, "auto": 1.0}  # slower/faster approach


@dataclass(frozen=True, slots=True)
class Rule:
    """How a mode moves the reading: "lower" only lowers towards the target, "raise" only raises,
    "both" goes to the target, "dry" cools a little, "none" leaves the room to its ambient."""

    way: str
    tau: float  # seconds: the time constant of the approach


def goal_of(way: str, target: float, ambient: float) -> float:
    """Where the reading settles under `way`."""
    if way == "lower":
        return min(target, ambient)
    if way == "raise":
        return max(target, ambient)
    if way == "both":
        return target
    if way == "dry":
        return ambient - 1.0
    if way == "frost":
        return max(ambient, FROST_GUARD)
    return ambient


class ClimateSimulator(Simulator):
    """A device with power, a target (`target_key`) and a reading (`current_key`) that follows it."""

    def __init__(
        self,
        kind: str,
        defaults: Mapping[str, Any],
        rules: Mapping[str, Rule],
        off_tau: float,
        *,
        target_key: str = "temperature",
        current_key: str = "current_temperature",
    ) -> None:
        self.kind = kind
        self._defaults = dict(defaults)
        self._rules = rules
        self._off_tau = off_tau
        self._target = target_key
        self._current = current_key

    @property
    def reading_key(self) -> str:
        """The property that reads the room ("current_temperature")."""
        return self._current

    def works_on_room(self, state: Mapping[str, Any]) -> bool:
        """Whether the device is moving the room's reading (on, in a mode that heats, cools or dries)."""
        rule = self._rules.get(str(state.get("mode", "on")))
        return bool(state.get("power")) and rule is not None and rule.way != "none"

    def initial_state(self, device: Device) -> dict[str, Any]:
        current = float(self._defaults[self._current])
        return {**self._defaults, "_current": current, "_ambient": float(self._defaults.get("_ambient", current))}

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        change = power_change(action)
        if change is not None:
            return change
        if action.intent != "set":
            raise refuse_intent(self.kind, action)
        prop = action.property or ""
        if prop not in self._defaults or prop.startswith("_") or prop in (self._current, "power"):
            raise refuse_property(self.kind, action.property)
        return waking(action, {prop: action.value})  # "에어컨 24도로" on an AC that is off turns it on

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        value = self._reading(state)
        goal, tau = self._goal(state)
        following = approach(value, goal, dt, tau)
        return changed(state, {"_current": following, self._current: tidy(following)})

    def is_active(self, state: Mapping[str, Any]) -> bool:
        return abs(self._reading(state) - self._goal(state)[0]) > 1e-9

    def quiet_for(self, state: Mapping[str, Any], marks: Sequence[float] = ()) -> float:
        """Until the shown reading (to 0.1) next changes, the approach snaps to its goal, or it passes a mark."""
        value = self._reading(state)
        goal, tau = self._goal(state)
        toward = -1.0 if goal < value else 1.0
        edge = tidy(value) + toward * 0.05  # where the shown reading turns over, towards the goal
        distances = [SNAP, abs(edge - goal) - 1e-9, *(abs(m - goal) for m in marks)]
        return time_to_cross(value, goal, tau, [d for d in distances if d > 0])

    def _reading(self, state: Mapping[str, Any]) -> float:
        return exact(state, "_current", self._current, 0.051, float(self._defaults[self._current]))

    def _goal(self, state: Mapping[str, Any]) -> tuple[float, float]:
        ambient = float(state.get("_ambient", self._defaults[self._current]))
        target = float(state.get(self._target, self._defaults[self._target]))
        if not self.works_on_room(state):
            return ambient, self._off_tau
        rule = self._rules[str(state.get("mode", "on"))]
        factor = FAN_FACTOR.get(str(state.get("fan_speed", "auto")), 1.0)
        return goal_of(rule.way, target, ambient), rule.tau * factor


AIR_CONDITIONER = ClimateSimulator(
    "air_conditioner",
    {"power": False, "temperature": 24, "current_temperature": 28, "mode": "cool", "fan_speed": "auto"},
    {
        "cool": Rule("lower", 600),
        "heat": Rule("raise", 600),
        "auto": Rule("both", 600),
        "dry": Rule("dry", 3600),
        "fan": Rule("none", 0),
    },
    off_tau=1800,
)
BOILER = ClimateSimulator(
    "boiler",
    {"power": True, "temperature": 22, "current_temperature": 21, "mode": "heat", "_ambient": 16.0},
    {"heat": Rule("raise", 1800), "away": Rule("frost", 1800), "hot_water": Rule("none", 0)},
    off_tau=7200,
)
THERMOSTAT = ClimateSimulator(
    "thermostat",
    {"power": True, "temperature": 22, "current_temperature": 21, "mode": "heat", "_ambient": 16.0},
    {"heat": Rule("raise", 1200), "cool": Rule("lower", 1200), "auto": Rule("both", 1200)},
    off_tau=3600,
)
HUMIDIFIER = ClimateSimulator(
    "humidifier",
    {"power": False, "humidity": 50, "current_humidity": 40},
    {"on": Rule("raise", 900)},
    off_tau=3600,
    target_key="humidity",
    current_key="current_humidity",
)
DEHUMIDIFIER = ClimateSimulator(
    "dehumidifier",
    {"power": False, "humidity": 50, "current_humidity": 70},
    {"on": Rule("lower", 900)},
    off_tau=3600,
    target_key="humidity",
    current_key="current_humidity",
)


# Fine dust (PM2.5, µg/m³) grades as Korea's 에어코리아 gives them: the upper bound of each grade.
AIR_GRADES: tuple[tuple[float, str], ...] = ((15, "good"), (35, "moderate"), (75, "bad"), (float("inf"), "very_bad"))
GRADE_MIDDLE: Mapping[str, float] = {"good": 8.0, "moderate": 25.0, "bad": 55.0, "very_bad": 100.0}


def air_grade(pm25: float) -> str:
    """The air_quality word for a PM2.5 concentration."""
    for bound, grade in AIR_GRADES:
        if pm25 <= bound:
            return grade
    return "very_bad"


class AirPurifierSimulator(Simulator):
    """An air purifier: while on, the room's fine dust (`_pm`) falls towards clean air, faster at
    higher speed; while off it returns to the room's own level (`_ambient`)."""

    CLEAN = 5.0
    SPEED_TAU: Mapping[str, float] = {"low": 1200, "mid": 600, "high": 300}
    MODE_TAU: Mapping[str, float] = {"turbo": 240, "sleep": 1800}
    OFF_TAU = 3600.0
    _SETTABLE = frozenset({"mode", "fan_speed"})

    def initial_state(self, device: Device) -> dict[str, Any]:
        return {
            "power": False,
            "mode": "auto",
            "fan_speed": "low",
            "air_quality": "moderate",
            "_pm": 25.0,
            "_ambient": 25.0,
        }

    def apply(self, action: DeviceAction, state: Mapping[str, Any], now: float) -> dict[str, Any]:
        change = power_change(action)
        if change is not None:
            return change
        if action.intent != "set":
            raise refuse_intent("air_purifier", action)
        if action.property not in self._SETTABLE:
            raise refuse_property("air_purifier", action.property)
        return waking(action, {action.property: action.value})

    def advance(self, state: Mapping[str, Any], dt: float, rng: random.Random) -> dict[str, Any]:
        goal, tau = self._goal(state)
        pm = approach(self._pm(state), goal, dt, tau)
        return changed(state, {"_pm": pm, "air_quality": air_grade(pm)})

    def is_active(self, state: Mapping[str, Any]) -> bool:
        return abs(self._pm(state) - self._goal(state)[0]) > 1e-9

    def quiet_for(self, state: Mapping[str, Any], marks: Sequence[float] = ()) -> float:
        """Until the dust crosses into another grade, or settles."""
        goal, tau = self._goal(state)
        bounds = [abs(bound - goal) - 1e-9 for bound, _ in AIR_GRADES[:-1]]
        return time_to_cross(self._pm(state), goal, tau, [SNAP, *(d for d in bounds if d > 0)])

    def _pm(self, state: Mapping[str, Any]) -> float:
        kept = state.get("_pm")
        shown = str(state.get("air_quality", "moderate"))
        if isinstance(kept, (int, float)) and air_grade(float(kept)) == shown:
            return float(kept)
        return GRADE_MIDDLE.get(shown, 25.0)  # someone set the grade: start from its middle

    def _goal(self, state: Mapping[str, Any]) -> tuple[float, float]:
        if not state.get("power"):
            return float(state.get("_ambient", 25.0)), self.OFF_TAU
        mode, speed = str(state.get("mode")), str(state.get("fan_speed"))
        return self.CLEAN, self.MODE_TAU.get(mode, self.SPEED_TAU.get(speed, 600.0))


AIR_PURIFIER = AirPurifierSimulator()
