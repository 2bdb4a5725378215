"""Whom a command is for (contract section 4): names, rooms with kinds, kinds alone, "all", and
what the home does not have (never guessed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from jibsa.domain import Device, DeviceType, Home
from jibsa.nlu.clause import Clause, TargetSpec
from jibsa.nlu.feelings import StateReader


@dataclass(frozen=True, slots=True)
class Context:
    """Where a request comes from, and the rooms said earlier in the sentence (rule 5)."""

    room: str | None = None
    carried: tuple[str, ...] = ()
    narrow: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    chosen: frozenset[str] = frozenset()  # devices the person picked when asked "which one?"
    state: StateReader | None = None  # the devices' state now, when the caller knows it (a feeling reads it)


@dataclass
class Resolved:
    ids: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    kinds: list[DeviceType] = field(default_factory=list)

    def add(self, devices: Iterable[Device]) -> None:
        for device in devices:
            if device.id not in self.ids:
                self.ids.append(device.id)
            if device.type not in self.kinds:
                self.kinds.append(device.type)


def kind_devices(home: Home, kind: DeviceType | None, rooms: Sequence[str]) -> list[Device]:
    """Devices of `kind` (None: any kind but sensors) in `rooms` (empty: the whole home)."""
    out = []
    for device in home.devices:
        if rooms and device.room not in rooms:
            continue
        if (kind is None and device.type is not DeviceType.SENSOR) or device.type is kind:
            out.append(device)
    return out


def by_rule_three(home: Home, kind: DeviceType | None, ctx: Context) -> list[Device]:
    """A kind alone: in the room said earlier, else the request's room, else the whole home."""
    for rooms in (ctx.carried, (ctx.room,) if ctx.room else ()):
        if rooms:
            found = kind_devices(home, kind, rooms)
            if found:
                return found
    return kind_devices(home, kind, ())


def resolve(home: Home, clause: Clause, ctx: Context) -> Resolved:
    """The devices a request names by name, by room and kind, or by kind alone."""
    out = Resolved()
    for ids in clause.devices:
        out.add(d for d in (home.device(i) for i in ids) if d is not None)
    for spec in clause.specs:
        found = _spec_devices(home, spec, ctx)
        if found:
            out.add(found)
        else:
            out.not_found.append(_spec_name(home, spec))
    return out


def _spec_devices(home: Home, spec: TargetSpec, ctx: Context) -> list[Device]:
    if spec.rooms:
        return _narrow(kind_devices(home, spec.kind, spec.rooms), spec.text, ctx)
    if spec.all:
        return _narrow(kind_devices(home, spec.kind, ()), spec.text, ctx)
    named = _narrow(kind_devices(home, spec.kind, ()), spec.text, ctx)
    if len(named) < len(kind_devices(home, spec.kind, ())):
        for rooms in (ctx.carried, (ctx.room,) if ctx.room else ()):
            in_rooms = [d for d in named if rooms and d.room in rooms]
            if in_rooms:
                return in_rooms
        return named
    return by_rule_three(home, spec.kind, ctx)


def _narrow(devices: list[Device], said: str, ctx: Context) -> list[Device]:
    """ "선풍기" among fans means the devices named 선풍기, when there are any."""
    word = "".join(said.split())
    if word not in ctx.narrow:
        return devices
    named = [d for d in devices if any(word in "".join(n.lower().split()) for n in d.names)]
    return named or devices


def _spec_name(home: Home, spec: TargetSpec) -> str:
    rooms = [r.name for r in (home.room(i) for i in spec.rooms) if r is not None]
    return " ".join([*rooms, spec.text.upper() if spec.text.isascii() and len(spec.text) <= 3 else spec.text])


def first_kind_with_devices(
    home: Home, kinds: Sequence[DeviceType], ctx: Context, accept: object = None
) -> list[Device]:
    """The devices of the first of `kinds` found by rule 3 (used when a property implies the kind)."""
    for rooms in (ctx.carried, (ctx.room,) if ctx.room else ()):
        if not rooms:
            continue
        for kind in kinds:
            found = [d for d in kind_devices(home, kind, rooms) if _accepts(d, accept)]
            if found:
                return found
    for kind in kinds:
        found = [d for d in kind_devices(home, kind, ()) if _accepts(d, accept)]
        if found:
            return found
    return []


def _accepts(device: Device, prop: object) -> bool:
    if not isinstance(prop, str) or device.type is not DeviceType.SENSOR:
        return True
    return prop in device.measures


def room_devices(home: Home, rooms: Sequence[str], prop: str | None = None) -> list[Device]:
    """Everything in the rooms but sensors; with `prop`, only devices that have it."""
    out = kind_devices(home, None, rooms)
    if prop is not None:
        out = [d for d in out if d.property_spec(prop) is not None]
    return out


def sensors_measuring(home: Home, measures: Sequence[str], rooms: Sequence[str]) -> list[Device]:
    """Sensors whose `measures` include one of `measures`, the first measure that has any."""
    for measure in measures:
        found = [
            d
            for d in home.devices
            if d.type is DeviceType.SENSOR and measure in d.measures and (not rooms or d.room in rooms)
        ]
        if found:
            return found
    return []


def unplaced_spread(clause: Clause, ctx: Context, devices: Sequence[Device]) -> bool:
    """True when a request names no room, no device by name and no "all", the room said earlier in the
    sentence (rule 5) has none of them, and its devices are in several rooms: the person is asked which
    ones. ("아이방 불 끄고 에어컨 켜" in a home whose air conditioners are in 거실 and 안방 turned both on.)"""
    said = clause.rooms or clause.bare_rooms or any(s.rooms for s in clause.specs)
    if said or clause.devices or clause.has("all") or clause.also:
        return False
    if ctx.carried and any(d.room in ctx.carried for d in devices):
        return False
    return len({d.room for d in devices}) > 1
