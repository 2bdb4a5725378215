"""What a device's state says about electricity: the power it draws now (W), its energy meter (kWh,
only ever rising but for resets) and whether it is running.

Any device may report `power_w` and `energy_kwh` beside its type's properties (the simulator, a cloud
that reports an appliance's use); a sensor measures them as `power` and `energy` (contract, section 2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jibsa.domain import Device, DeviceType

POWER_KEY = "power_w"
ENERGY_KEY = "energy_kwh"
METER_KEYS = frozenset({POWER_KEY, ENERGY_KEY})
_RUNNING = frozenset({"running", "cleaning"})
_MACHINES = frozenset({DeviceType.WASHER, DeviceType.DRYER, DeviceType.DISHWASHER, DeviceType.ROBOT_VACUUM})
_READ_KEYS = ("power_w", "energy_kwh", "power", "energy", "run_state")


@dataclass(frozen=True, slots=True)
class Reading:
    power_w: float | None = None
    energy_kwh: float | None = None
    running: bool | None = None  # None: the device says nothing of being on


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def reading_of(device: Device, state: Mapping[str, Any]) -> Reading:
    """The electricity facts in `state` (on every state change of every device: kept cheap)."""
    power, energy = _number(state.get(POWER_KEY)), _number(state.get(ENERGY_KEY))
    if device.type is DeviceType.SENSOR:
        power = _number(state.get("power")) if power is None else power
        energy = _number(state.get("energy")) if energy is None else energy
    return Reading(None if power is None or power < 0 else power, energy, running_of(device, state))


def running_of(device: Device, state: Mapping[str, Any]) -> bool | None:
    """Whether the device is doing its work: a machine running its cycle (a robot cleaning), anything
    else switched on; None for devices with neither."""
    if device.type in _MACHINES:
        return state.get("run_state") in _RUNNING if "run_state" in state else None
    if device.type is not DeviceType.SENSOR and "power" in state:
        return bool(state["power"])
    return None


def changed_reading(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a change of state touches anything `reading_of` reads."""
    return any(old.get(key) != new.get(key) for key in _READ_KEYS)
