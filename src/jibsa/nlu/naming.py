"""How a reply names what it speaks of, as facts for `jibsa.words.phrases` to word: the devices by name when
there are few, by kind (and room) when there are many ("every light", "every light of 거실", "5 lights");
a property; a value with the property it is a value of."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jibsa.domain import Device, DeviceType, Home, Room

MAX_NAMED = 3


def verb_key(home: Home, intent: str, ids: Sequence[str]) -> str:
    """The reply's key for `intent` on these devices: a gas valve is locked shut (잠갔어요), not closed like a door."""
    devices = [home.device(i) for i in ids]
    if intent == "close" and devices and all(d is not None and d.type is DeviceType.GAS_VALVE for d in devices):
        return "close_valve"
    return intent


def targets(home: Home, ids: Sequence[str]) -> dict[str, Any]:
    """The devices `ids`: {"what": "devices", "names": [...]}, or by kind: {"what": "counted", "kind", "count"},
    {"what": "every", "kind", "room"?} (every device of the kind in the home, or in one room)."""
    devices = [d for d in (home.device(i) for i in ids) if d is not None]
    if len(ids) <= MAX_NAMED or len(devices) < len(ids):
        return named(home, ids)
    kind = kind_of(devices)
    scope = _every_of_kind(home, devices)
    if scope is None:
        return {"what": "counted", "kind": kind, "count": len(devices)}
    room = scope[0]
    return {"what": "every", "kind": kind, **(place(room) if room is not None else {})}


def named(home: Home, ids: Sequence[str]) -> dict[str, Any]:
    """The devices `ids` each by its name (an id the home lacks as it is), with what an English reply names
    each by ("english": its aliases, its kind and, when it alone is of its kind there, its room's aliases)."""
    return {"what": "devices", "names": [_name(home, i) for i in ids], "english": [_english(home, i) for i in ids]}


def scene(home: Home, scene_id: str) -> dict[str, Any]:
    """A scene by its name, with what an English reply calls it: the home file's `name_en`, else its name as
    it is (its aliases are what people say to start it, "good night", not names); an id the home lacks as
    it is."""
    found = home.scene(scene_id)
    if found is None:
        return {"what": "scene", "name": scene_id}
    return {"what": "scene", "name": found.name, **({"english": found.name_en} if found.name_en else {})}


def place(room: Room) -> dict[str, Any]:
    """A room by its name, with its aliases: an English reply names it by the first in English letters."""
    return {"room": room.name, "room_aliases": list(room.aliases)}


def room_named(room: Room) -> dict[str, Any]:
    """A room as a reply's subject ("거실은 24.5도예요", "The living room: 24.5°")."""
    return {"what": "room", **place(room)}


def counted_devices(count: int) -> dict[str, Any]:
    """ "기기 8개": devices of any kind, by their number."""
    return {"what": "counted", "kind": "device", "count": count}


def kind_of(devices: Sequence[Device]) -> str:
    """The kind these devices share ("light"), or "device" when they are of several kinds."""
    kinds = {d.type.value for d in devices}
    return kinds.pop() if len(kinds) == 1 else "device"


def kind(name: str) -> dict[str, Any]:
    """What a reply calls devices of a kind ("에어컨", "air conditioners")."""
    return {"what": "kind", "kind": name}


def prop(name: str) -> dict[str, Any]:
    """A property by its name in words ("온도")."""
    return {"what": "word", "of": "reply.properties", "name": name}


def value(prop_name: str, said: Any) -> dict[str, Any]:
    """A value of `prop_name` as people say it ("24도", "켬", "전구색")."""
    return {"what": "value", "property": prop_name, "value": said}


def _name(home: Home, target: str) -> str:
    device = home.device(target)
    return device.name if device is not None else target


def _english(home: Home, target: str) -> dict[str, Any]:
    """What an English name of the device is made of. The room's aliases only when the device is the one of
    its kind in its room: "the living room light" would not say which of two."""
    device = home.device(target)
    if device is None:
        return {}
    parts: dict[str, Any] = {"aliases": list(device.aliases), "kind": device.type.value}
    room = home.room(device.room) if device.room else None
    if room is not None and sum(d.type is device.type for d in home.devices_in(room.id)) == 1:
        parts["room_aliases"] = list(room.aliases)
    return parts


def _every_of_kind(home: Home, devices: Sequence[Device]) -> tuple[Room | None] | None:
    """(None,) when `devices` are every device of their kind in the home, (room,) when every one of
    one room; None otherwise."""
    kinds = {d.type for d in devices}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    ids = {d.id for d in devices}
    if ids == {d.id for d in home.devices if d.type is kind}:
        return (None,)
    rooms = {d.room for d in devices}
    only = rooms.pop() if len(rooms) == 1 else None
    room = home.room(only) if only is not None else None
    if room is not None and ids == {d.id for d in home.devices if d.type is kind and d.room == room.id}:
        return (room,)
    return None
