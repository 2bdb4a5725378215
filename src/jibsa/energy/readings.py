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
_SENSOR_KEYS = {POWER_KEY: "power", ENERGY_KEY: "energy"}
_RUNNING = frozenset({"running", "cleaning"})


@dataclass(frozen=True, slots=True)
class Reading:
    power_w: float | None = None
    energy_kwh: float | None = None
    running: bool | None = None  # None: the device says nothing of being on


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _value(device: Device, state: Mapping[str, Any], key: str) -> float | None:
    found = _number(state.get(key))
    if found is None and device.type is DeviceType.SENSOR:
        found = _number(state.get(_SENSOR_KEYS[key]))
    return found


def reading_of(device: Device, state: Mapping[str, Any]) -> Reading:
    """The electricity facts in `state`."""
    power = _value(device, state, POWER_KEY)
    energy = _value(device, state, ENERGY_KEY)
    return Reading(None if power is None or power < 0 else power, energy, running_of(device, state))


def running_of(device: Device, state: Mapping[str, Any]) -> bool | None:
    """Whether the device is doing its work: a machine running its cycle (a robot cleaning), anything
    else switched on; None for devices with neither."""
    if "run_state" in device.spec.property_names:
        return state.get("run_state") in _RUNNING if "run_state" in state else None
    if device.type is not DeviceType.SENSOR and "power" in state:
        return bool(state["power"])
    return None


def changed_reading(device: Device, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a change of state touches anything `reading_of` reads."""
    keys = ("power_w", "energy_kwh", "power", "energy", "run_state")
    return any(old.get(k) != new.get(k) for k in keys)
