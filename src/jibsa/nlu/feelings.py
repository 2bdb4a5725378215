"""A feeling said ("너무 추워", "좀 어둡네") read against what the home is doing now, when the caller knows
the devices' state (the conversation does; `jibsa parse` does not, and then a feeling turns on what eases it).

- cold while an air conditioner in the room cools: that cooling stops, before any heating is turned on;
- cold with the heating already on: its target goes up; hot with an air conditioner already on: it goes down;
- dark with lights on: the lights on that are not at full brightness get brighter; with all of them at
  full, the room's other lights come on; with every light on at full, nothing is done and the reply says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jibsa.domain import Command, Device, DeviceType, Home

StateReader = Callable[[str], Mapping[str, Any]]  # a device id → its state as people see it
_HEATERS = frozenset({DeviceType.BOILER, DeviceType.THERMOSTAT})
_COOLING_MODES = frozenset({"cool", "dry", "auto"})


def by_state(
    feeling: str, devices: Sequence[Device], home: Home, rooms: Sequence[str], state: StateReader
) -> list[Command] | None:
    """The commands that ease `feeling` given the state of the home; None when the state changes nothing
    in what would be done anyway (`devices`: those the feeling would turn on); empty when nothing is left to
    do (every light on at full)."""
    if feeling == "cold":
        cooling = [d for d in _in_rooms(home, DeviceType.AIR_CONDITIONER, rooms) if _cools(state(d.id))]
        if cooling:
            return [Command("turn_off", tuple(d.id for d in cooling), {})]
        return _warmer_or_cooler(devices, state, "up", _HEATERS)
    if feeling == "hot":
        return _warmer_or_cooler(devices, state, "down", frozenset({DeviceType.AIR_CONDITIONER}))
    if feeling == "dark":
        return _brighter(devices, state)
    return None


def _in_rooms(home: Home, kind: DeviceType, rooms: Sequence[str]) -> list[Device]:
    return [d for d in home.devices if d.type is kind and (not rooms or d.room in rooms)]


def _on(state: Mapping[str, Any]) -> bool:
    return state.get("power") is True


def _cools(state: Mapping[str, Any]) -> bool:
    return _on(state) and str(state.get("mode", "cool")) in _COOLING_MODES


def _warmer_or_cooler(
    devices: Sequence[Device], state: StateReader, direction: str, kinds: frozenset[DeviceType]
) -> list[Command] | None:
    """The devices of `kinds` already on get their target moved; the rest are turned on as usual."""
    running = [d for d in devices if d.type in kinds and _on(state(d.id))]
    if not running:
        return None
    commands = [Command("adjust", tuple(d.id for d in running), {"property": "temperature", "direction": direction})]
    rest = [d for d in devices if d not in running]
    if rest:
        commands.append(Command("turn_on", tuple(d.id for d in rest), {}))
    return commands


def _brighter(devices: Sequence[Device], state: StateReader) -> list[Command] | None:
    lights = [d for d in devices if d.type is DeviceType.LIGHT]
    on = [d for d in lights if _on(state(d.id))]
    if not on:
        return None
    dim = [d for d in on if _number(state(d.id).get("brightness"), 100) < 100]
    if dim:
        return [Command("adjust", tuple(d.id for d in dim), {"property": "brightness", "direction": "up"})]
    off = [d for d in lights if d not in on]
    return [Command("turn_on", tuple(d.id for d in off), {})] if off else []


def _number(value: Any, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
