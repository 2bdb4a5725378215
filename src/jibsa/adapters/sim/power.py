"""What a simulated device draws from the wall (W), from its state and the time: lights by brightness,
an air conditioner's compressor pulling the room to its target and then cycling to hold it, a boiler
firing, a washer's heating and spin phases, a fridge's duty cycle and defrost, standby draw.

Pure functions of (device, state, time): a duty cycle is read off the clock (each device at its own
phase), so any step of time gives the same curve and a restart continues it. Figures: power.yaml.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import Device, DeviceType

from .models_appliance import DISHWASHER_CYCLES, DRYER_CYCLES, WASHER_CYCLES

Params = Mapping[str, Any]
_COVERS = frozenset({DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.WINDOW, DeviceType.GARAGE_DOOR})
_CYCLES = {DeviceType.WASHER: WASHER_CYCLES, DeviceType.DRYER: DRYER_CYCLES, DeviceType.DISHWASHER: DISHWASHER_CYCLES}
_COMPRESSOR_MODES = frozenset({"cool", "heat", "auto", "dry"})


@cache
def _table() -> dict[str, Any]:
    text = resources.files("jibsa.adapters.sim").joinpath("power.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _params(device: Device) -> Params:
    params: Params = _table()["cover" if device.type in _COVERS else device.type.value]
    return params


def _rated(device: Device, params: Params) -> float:
    return float(device.options.get("rated_w", params["rated_w"]))


def _phase(device: Device) -> float:
    """Where in its cycles a device starts (0–1): fixed per device, so two fridges do not run in step."""
    return zlib.crc32(device.id.encode()) / 2**32


def _on_in_cycle(device: Device, now: float, period_s: float, duty: float) -> bool:
    return (now / period_s + _phase(device)) % 1.0 < duty


def _next_turn(device: Device, now: float, period_s: float, duty: float) -> float:
    """When a duty cycle next switches on or off (the first time after `now` that `_on_in_cycle` may differ)."""
    into = (now / period_s + _phase(device)) % 1.0
    return now + ((duty - into) if into < duty else (1.0 - into)) * period_s


def _number(state: Mapping[str, Any], key: str, default: float) -> float:
    value = state.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _light(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    share = _number(state, "brightness", 100) / 100
    floor = float(p["dim_floor"])
    return _rated(device, p) * (floor + (1 - floor) * share)


def _on_or_standby(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    return _rated(device, p) * float(p.get("speed", {}).get(str(state.get("fan_speed")), 1.0))


def _purifier(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    share = p["mode"].get(str(state.get("mode")), p["speed"].get(str(state.get("fan_speed")), 0.5))
    return _rated(device, p) * float(share)


def _humidity(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    gap = _number(state, "humidity", 50) - _number(state, "current_humidity", 50)
    working = gap > 1 if device.type is DeviceType.HUMIDIFIER else gap < -1
    return _rated(device, p) * (1.0 if working else float(p["idle"]))


def _air_conditioner(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    mode = str(state.get("mode", "cool"))
    rated, fan = _rated(device, p), float(p["fan_w"])
    if mode not in _COMPRESSOR_MODES:
        return fan
    if mode == "dry":
        return fan + rated * float(p["dry_share"])
    target = _number(state, "temperature", 24)
    current = _number(state, "_current", _number(state, "current_temperature", target))
    sign = {"cool": 1.0, "heat": -1.0}.get(mode, 1.0 if current >= target else -1.0)
    gap = (current - target) * sign
    if gap > 0.5:  # pulling the room down (or up): the compressor at speed, easing as the gap closes
        share = float(p["pull_floor"]) + (1 - float(p["pull_floor"])) * min(1.0, gap / float(p["full_gap"]))
        return fan + rated * round(share * 20) / 20  # an inverter steps its speed: 5 % steps
    cycling = _on_in_cycle(device, now, p["period_s"], _ac_duty(state, p))
    return fan + (rated * float(p["hold_share"]) if cycling else 0.0)


def _ac_duty(state: Mapping[str, Any], p: Params) -> float:
    """The share of time an air conditioner holding its target runs its compressor."""
    mode = str(state.get("mode", "cool"))
    target = _number(state, "temperature", 24)
    current = _number(state, "_current", _number(state, "current_temperature", target))
    ambient = _number(state, "_ambient", current)
    sign = {"cool": 1.0, "heat": -1.0}.get(mode, 1.0 if current >= target else -1.0)
    return min(float(p["max_duty"]), max(0.0, (ambient - target) * sign * float(p["duty_per_degree"])))


def _boiler(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if not state.get("power"):
        return float(p["standby_w"])
    mode = str(state.get("mode", "heat"))
    if mode == "hot_water":
        return float(p["hot_water_w"])
    target = 8.0 if mode == "away" else _number(state, "temperature", 22)
    current = _number(state, "_current", _number(state, "current_temperature", target))
    if target - current > 0.5:
        return _rated(device, p)
    firing = _on_in_cycle(device, now, p["period_s"], _boiler_duty(state, p))
    return _rated(device, p) if firing else float(p["idle_w"])


def _boiler_duty(state: Mapping[str, Any], p: Params) -> float:
    """The share of time a boiler holding its target fires."""
    target = 8.0 if str(state.get("mode", "heat")) == "away" else _number(state, "temperature", 22)
    current = _number(state, "_current", _number(state, "current_temperature", target))
    ambient = _number(state, "_ambient", current)
    return min(float(p["max_duty"]), max(0.0, (target - ambient) * float(p["duty_per_degree"])))


def _refrigerator(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    light = float(p["door_light_w"]) if state.get("door") else 0.0
    since_defrost = (now + _phase(device) * p["defrost_every_s"]) % p["defrost_every_s"]
    if since_defrost < p["defrost_s"]:
        return float(p["defrost_w"]) + light
    running = bool(state.get("door")) or _on_in_cycle(device, now, p["period_s"], p["duty"])
    return (_rated(device, p) if running else float(p["standby_w"])) + light


def _machine(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    run_state = state.get("run_state")
    if run_state == "running":
        return _phase_watts(device, state, p)
    if run_state == "paused":
        return float(p["paused_w"])
    return float(p["display_w"] if state.get("power") else p["standby_w"])


def _phase_watts(device: Device, state: Mapping[str, Any], p: Params) -> float:
    """The draw of the phase the running cycle is in, by the share of its length gone."""
    cycle = str(state.get("cycle", ""))
    length = float(_CYCLES[device.type].get(cycle, 0)) or 1.0
    done = 1.0 - _number(state, "_remaining", _number(state, "remaining_time", length)) / length
    profile = p["profiles"].get(cycle, p["profiles"]["*"])
    reached = 0.0
    for _name, share, watts in profile:
        reached += share
        if done < reached:
            return float(watts)
    return float(profile[-1][2])


def _vacuum(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    if state.get("run_state") != "docked":
        return 0.0  # on its battery
    return float(p["charging_w"] if _number(state, "_battery", 100) < 100 else p["standby_w"])


def _cover(device: Device, state: Mapping[str, Any], now: float, p: Params) -> float:
    return _rated(device, p) if state.get("_target") is not None else float(p["standby_w"])


Model = Callable[[Device, Mapping[str, Any], float, Params], float]
_MODELS: Mapping[DeviceType, Model] = {
    DeviceType.LIGHT: _light, DeviceType.SWITCH: _on_or_standby, DeviceType.FAN: _on_or_standby,
    DeviceType.TV: _on_or_standby, DeviceType.SPEAKER: _on_or_standby, DeviceType.THERMOSTAT: _on_or_standby,
    DeviceType.AIR_PURIFIER: _purifier, DeviceType.HUMIDIFIER: _humidity, DeviceType.DEHUMIDIFIER: _humidity,
    DeviceType.AIR_CONDITIONER: _air_conditioner, DeviceType.BOILER: _boiler,
    DeviceType.REFRIGERATOR: _refrigerator, DeviceType.WASHER: _machine, DeviceType.DRYER: _machine,
    DeviceType.DISHWASHER: _machine, DeviceType.ROBOT_VACUUM: _vacuum,
    **{kind: _cover for kind in _COVERS},
}  # fmt: skip


def draws(device: Device) -> bool:
    """Whether `device` is on the mains (`watts` is never None for it, and only it may vary alone)."""
    return device.type in _MODELS


def watts(device: Device, state: Mapping[str, Any], now: float) -> float | None:
    """What `device` draws now, to 0.1 W; None for a device off the mains (locks, valves, sensors)."""
    model = _MODELS.get(device.type)
    return None if model is None else round(model(device, state, now, _params(device)), 1)


def next_change(device: Device, state: Mapping[str, Any], now: float) -> float | None:
    """The first time after `now` at which the draw may change with time alone, the state staying as it
    is (a duty cycle turning, a defrost starting or ending); None when it never does (`varies_alone`)."""
    if not varies_alone(device, state):
        return None
    p = _params(device)
    if device.type is DeviceType.REFRIGERATOR:
        every, defrost = float(p["defrost_every_s"]), float(p["defrost_s"])
        since = (now + _phase(device) * every) % every
        defrost_turn = now + ((defrost - since) if since < defrost else (every - since))
        return min(defrost_turn, _next_turn(device, now, p["period_s"], p["duty"]))
    duty = _ac_duty(state, p) if device.type is DeviceType.AIR_CONDITIONER else _boiler_duty(state, p)
    return _next_turn(device, now, p["period_s"], duty)


def reading_marks(device: Device, state: Mapping[str, Any]) -> tuple[float, ...]:
    """The room readings (`_current`) at which the draw of a climate device pulling the room changes
    (an air conditioner's inverter steps, a boiler easing off): its reading is looked at as it passes them."""
    p = _params(device) if device.type in (DeviceType.AIR_CONDITIONER, DeviceType.BOILER) else None
    if p is None or not state.get("power"):
        return ()
    if device.type is DeviceType.BOILER:
        target = 8.0 if str(state.get("mode", "heat")) == "away" else _number(state, "temperature", 22)
        return (target - 0.5,)
    target = _number(state, "temperature", 24)
    current = _number(state, "_current", _number(state, "current_temperature", target))
    sign = {"cool": 1.0, "heat": -1.0}.get(str(state.get("mode", "cool")), 1.0 if current >= target else -1.0)
    floor, full = float(p["pull_floor"]), float(p["full_gap"])
    steps = [(k + 0.5) / 20 for k in range(20) if (k + 0.5) / 20 > floor]  # where round(share * 20) turns
    gaps = [0.5, *((share - floor) / (1 - floor) * full for share in steps)]
    return tuple(target + sign * gap for gap in gaps)


def varies_alone(device: Device, state: Mapping[str, Any]) -> bool:
    """Whether the draw changes with time alone, the state staying as it is (a duty cycle): such a
    device is looked at when its cycle turns (`next_change`)."""
    if device.type is DeviceType.REFRIGERATOR:
        return True
    if device.type in (DeviceType.AIR_CONDITIONER, DeviceType.BOILER):
        return bool(state.get("power"))
    return False
