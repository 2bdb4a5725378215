"""One temperature (and one humidity) per simulated room, shared by its thermometers and its climate
devices: the air conditioner's "현재 온도" and the room's 온습도계 read the same air.

Per room and quantity, one device leads: the first climate device that is working on the room (on,
in a mode that moves the reading), else the first climate device, else the first sensor. The
leader's reading is copied to the others; what they would have computed themselves is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jibsa.domain import Device

from .base import Simulator, tidy
from .models_climate import ClimateSimulator


@dataclass(frozen=True, slots=True)
class Reading:
    """Where a device keeps a room reading: the shown key, and the exact one behind it (climate devices)."""

    shown: str
    exact: str | None = None

    def value(self, state: Mapping[str, Any]) -> float | None:
        raw = state.get(self.exact) if self.exact else None
        raw = state.get(self.shown) if raw is None else raw
        return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None

    def values(self, reading: float) -> dict[str, Any]:
        shown = {self.shown: tidy(reading)}
        return {**shown, self.exact: reading} if self.exact else shown

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in (self.shown, self.exact) if k)


QUANTITIES = {"current_temperature": "temperature", "current_humidity": "humidity"}  # a climate device's reading
GroupKey = tuple[str | None, str]  # (room, quantity)


def readings_of(device: Device, sim: Simulator) -> dict[str, Reading]:
    """The room quantities a device reads: {"temperature": Reading(...)}."""
    if isinstance(sim, ClimateSimulator) and sim.reading_key in QUANTITIES:
        return {QUANTITIES[sim.reading_key]: Reading(sim.reading_key, "_current")}
    return {q: Reading(q) for q in ("temperature", "humidity") if q in device.measures}


class RoomReadings:
    """The groups of devices that share a room reading, and who leads each. A group's leader is
    remembered until a command or an injected change reaches one of its devices (only those turn a
    climate device on or off, or change its mode)."""

    def __init__(self, sims: Mapping[str, Simulator], states: Mapping[str, Mapping[str, Any]]) -> None:
        self._sims = sims
        self._states = states
        self._groups: dict[GroupKey, list[str]] = {}
        self._climate_count: dict[GroupKey, int] = {}
        self._readings: dict[str, dict[GroupKey, Reading]] = {}
        self._leaders: dict[GroupKey, str] = {}

    def add(self, device: Device, sim: Simulator) -> None:
        readings = readings_of(device, sim)
        if not readings:
            return
        self._readings[device.id] = {(device.room, quantity): r for quantity, r in readings.items()}
        for key in self._readings[device.id]:
            group = self._groups.setdefault(key, [])
            if isinstance(sim, ClimateSimulator):  # climate devices before sensors: they move the air
                group.insert(self._climate_count.get(key, 0), device.id)
                self._climate_count[key] = self._climate_count.get(key, 0) + 1
            else:
                group.append(device.id)
            self._leaders.pop(key, None)

    def changed(self, device_id: str) -> None:
        """A command or an injected change reached the device: its groups' leaders may change."""
        for key in self._readings.get(device_id, ()):
            self._leaders.pop(key, None)

    def not_own(self, device_id: str) -> frozenset[str]:
        """The keys a device must not change itself: the readings it follows."""
        keys: frozenset[str] = frozenset()
        for key, reading in self._readings.get(device_id, {}).items():
            if len(self._groups[key]) > 1 and self._leader(key) != device_id:
                keys |= reading.keys
        return keys

    def shares(self, device_id: str) -> list[tuple[str, dict[str, Any]]]:
        """What the other devices of the room take over from `device_id` when it leads."""
        out: list[tuple[str, dict[str, Any]]] = []
        for key, reading in self._readings.get(device_id, {}).items():
            if len(self._groups[key]) < 2 or self._leader(key) != device_id:
                continue
            value = reading.value(self._states[device_id])
            if value is not None:
                out.extend(
                    (other, self._readings[other][key].values(value))
                    for other in self._groups[key]
                    if other != device_id
                )
        return out

    @property
    def leaders(self) -> list[str]:
        return [self._leader(key) for key, group in self._groups.items() if len(group) > 1]

    def _leader(self, key: GroupKey) -> str:
        leader = self._leaders.get(key)
        if leader is None:
            leader = self._leaders[key] = self._first_working(key)
        return leader

    def _first_working(self, key: GroupKey) -> str:
        group = self._groups[key]
        for device_id in group[: self._climate_count.get(key, 0)]:
            sim = self._sims[device_id]
            if isinstance(sim, ClimateSimulator) and sim.works_on_room(self._states[device_id]):
                return device_id
        return group[0]
