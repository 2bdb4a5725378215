"""The home: rooms, devices and scenes, as described by a home file (contract section 1)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from jibsa.domain.device_types import DeviceType, PropertySpec, TypeSpec, sensor_property, type_spec
from jibsa.domain.home_energy import EnergySettings

DEFAULT_CITY = "서울"  # a home file that names no city is in Seoul (the weather's and the sun's city)


def clean_name(text: str) -> str:
    """A name in one Unicode form (NFC) without invisible format characters (zero-width space, joiners,
    direction marks): "현관문" typed in NFD, or with a zero-width space, is the same name."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    return text.strip()


def name_key(text: str) -> str:
    """What two names are compared by: clean, compatibility-folded, case-folded and without spaces, as the
    parser hears them ("현관 문" and "현관문" are one name to it)."""
    return "".join(unicodedata.normalize("NFKC", clean_name(text)).casefold().split())


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    type: DeviceType
    room: str | None = None
    aliases: tuple[str, ...] = ()
    vendor: str = "sim"
    measures: tuple[str, ...] = ()
    maker: str = ""  # who made it (LG, Samsung, Navien, ...): shown to people, not used for routing
    options: Mapping[str, Any] = field(default_factory=dict)  # vendor-specific settings, passed to the adapter

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @cached_property
    def spec(self) -> TypeSpec:
        """The type's spec; for sensors, one read-only property per measure."""
        base = type_spec(self.type)
        if self.type is not DeviceType.SENSOR:
            return base
        props = tuple(sensor_property(m) for m in self.measures)
        return TypeSpec(base.type, props, base.intents)

    def property_spec(self, name: str) -> PropertySpec | None:
        return self.spec.property_spec(name)


@dataclass(frozen=True, slots=True)
class SceneAction:
    intent: str
    targets: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    actions: tuple[SceneAction, ...] = ()
    name_en: str | None = None  # what English replies call it ("away mode"); None: its name as it is

    @property
    def names(self) -> tuple[str, ...]:
        """What people call it: its name, its aliases and its English name ("run away mode")."""
        return (self.name, *self.aliases, *((self.name_en,) if self.name_en else ()))


@dataclass(frozen=True)
class Home:
    """A validated home. Build one with `jibsa.domain.home_schema.home_from_mapping`."""

    name: str
    rooms: tuple[Room, ...]
    devices: tuple[Device, ...]
    scenes: tuple[Scene, ...] = ()
    id: str = "home"
    language: str = "ko"
    city: str = DEFAULT_CITY
    energy: EnergySettings | None = None  # the home file's `energy:` section; None: none given

    @cached_property
    def _devices_by_id(self) -> dict[str, Device]:
        return {d.id: d for d in self.devices}

    @cached_property
    def _rooms_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def _scenes_by_id(self) -> dict[str, Scene]:
        return {s.id: s for s in self.scenes}

    def device(self, device_id: str) -> Device | None:
        return self._devices_by_id.get(device_id)

    def room(self, room_id: str) -> Room | None:
        return self._rooms_by_id.get(room_id)

    def find_room(self, said: str) -> Room | None:
        """The room `said` names: its id, name or alias, in any case and Unicode form."""
        room = self.room(said)
        if room is not None:
            return room
        wanted = name_key(said)
        return next((r for r in self.rooms if wanted in (name_key(n) for n in (r.id, *r.names))), None)

    def scene(self, scene_id: str) -> Scene | None:
        return self._scenes_by_id.get(scene_id)

    def devices_in(self, room_id: str | None) -> tuple[Device, ...]:
        """The devices of one room; with None, the whole-home devices that belong to no room."""
        return tuple(d for d in self.devices if d.room == room_id)

    def devices_of_type(self, kind: DeviceType, room_id: str | None = None) -> tuple[Device, ...]:
        return tuple(d for d in self.devices if d.type is kind and (room_id is None or d.room == room_id))

    def with_devices(self, added: tuple[Device, ...], removed: frozenset[str] = frozenset()) -> Home:
        """A copy with `added` devices (replacing any with the same id) and without `removed` ids."""
        replaced = {d.id for d in added} | removed
        kept = tuple(d for d in self.devices if d.id not in replaced)
        return replace(self, devices=kept + added)

    def summary(self) -> str:
        """One line: name, counts of rooms, devices and scenes."""
        return f"{self.name}: {len(self.rooms)} rooms, {len(self.devices)} devices, {len(self.scenes)} scenes"
