"""The slot kinds a corpus template may ask for (`bind:` in templates.yaml), each a function from one home's
words to the bindings it offers. Which devices each binding means follows the contract's rules on whom a
command is for; nothing here reads the parser."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from corpus_bind import Binding, HomeWords, in_script, squash

from jibsa.domain import DeviceType

Spec = Mapping[str, Any]
Phrases = Mapping[str, Any]


def _types(spec: Spec) -> frozenset[DeviceType]:
    return frozenset(DeviceType(t) for t in spec.get("types", []))


def _registers(spec: Spec) -> list[str]:
    return list(spec.get("registers", ["ko"]))


def _script(spec: Spec) -> str:
    return "en" if "en" in _registers(spec) else "ko"


def room(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    for room_id, names in hw.room_sayings(_script(spec)):
        yield Binding({"room": names}, room=room_id, raw={"room_id": room_id})


def room_kind(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A room and a kind ("거실 불"): every device of that kind in the room (rule 2). Room names that with
    the kind word make another device's name ("안방 불" as an alias of something else) are left out."""
    for room_id, room_names in hw.room_sayings(_script(spec)):
        for kind in hw.kinds_in(_registers(spec), _types(spec)):
            targets = hw.of_kind(kind, room_id)
            names = tuple(n for n in room_names if hw.agrees(f"{n}{kind.word}", targets))
            if targets and names and hw.agrees(kind.word, targets):
                types = frozenset(hw.home.device(t).type for t in targets)  # type: ignore[union-attr]
                yield Binding(
                    {"room": names, "kind": kind.word},
                    targets,
                    room_id,
                    kind=kind,
                    types=types,
                    raw={"room_id": room_id},
                )


def device(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A device by its name or an alias (rule 1); `only_one`: when the home has one device of the type."""
    for dev, names in hw.device_sayings(_types(spec), _script(spec)):
        if spec.get("only_one") and len(hw.home.devices_of_type(dev.type)) != 1:
            continue
        yield Binding({"name": names}, (dev.id,), dev.room, types=frozenset({dev.type}), raw={"room_id": dev.room})


def kind_here(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A kind alone, said in a room that has it (rule 3): that room's devices of the kind."""
    for kind in hw.kinds_in(_registers(spec), _types(spec)):
        for r in hw.home.rooms:
            targets = hw.of_kind(kind, r.id)
            if targets and hw.agrees(kind.word, targets):
                types = frozenset(hw.home.device(t).type for t in targets)  # type: ignore[union-attr]
                yield Binding({"kind": kind.word}, targets, r.id, request_room=r.id, kind=kind, types=types)


def kind_alone(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A kind alone, no room known: its devices when they are in one room (or belong to none), else the
    contract asks which (section 6: `needs_choice`). `asks` keeps only one of the two."""
    for kind in hw.kinds_in(_registers(spec), _types(spec)):
        every = hw.of_kind(kind, None, anywhere=True)
        if not every or not hw.agrees(kind.word, every):
            continue
        rooms = {hw.home.device(t).room for t in every}  # type: ignore[union-attr]
        asks = len(rooms) > 1
        if "asks" in spec and bool(spec["asks"]) != asks:
            continue
        types = frozenset(hw.home.device(t).type for t in every)  # type: ignore[union-attr]
        yield Binding(
            {"kind": kind.word},
            () if asks else every,
            next(iter(rooms)) if not asks else None,
            kind=kind,
            types=types,
            asks=asks,
            raw={"every": every},
        )


def every_kind(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A kind with 다/전부/모든 (rule 4), or a question about a kind: every one in the home."""
    for kind in hw.kinds_in(_registers(spec), _types(spec)):
        every = hw.of_kind(kind, None, anywhere=True)
        if every and hw.agrees(kind.word, every):
            types = frozenset(hw.home.device(t).type for t in every)  # type: ignore[union-attr]
            yield Binding({"kind": kind.word}, every, kind=kind, types=types)


def scene(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A scene by its name or alias; `ending` keeps the names that end so ("모드": "외출 모드 실행해")."""
    ending = spec.get("ending")
    for s in hw.home.scenes:
        for name in s.names:
            if in_script(name, _script(spec)) and (not ending or name.endswith(ending)):
                yield Binding({"scene": name}, raw={"scene": s.id})


def greeting(_: Spec, hw: HomeWords, phrases: Phrases) -> Iterator[Binding]:
    """Every phrase of a greeting family one of whose phrases is a scene's name or alias: runs that scene."""
    for family in phrases["greetings"].values():
        scene_id = _scene_of(family, hw)
        if scene_id is not None:
            for phrase in family:
                yield Binding({"phrase": phrase}, raw={"scene": scene_id})


def _scene_of(family: list[str], hw: HomeWords) -> str | None:
    said = {squash(p) for p in family}
    found = {s.id for s in hw.home.scenes for n in s.names if squash(n) in said}
    return found.pop() if len(found) == 1 else None


def line(spec: Spec, hw: HomeWords, phrases: Phrases) -> Iterator[Binding]:
    """Whole phrases (`from:` a list in phrases.yaml), but none that is one of the home's scene names. Small
    talk gains the greetings no scene here answers; conditional questions keep those whose `needs` the home
    has."""
    source = spec["from"]
    scene_names = {squash(n) for s in hw.home.scenes for n in s.names}
    for entry in phrases[source]:
        text, needs = (entry, []) if isinstance(entry, str) else (entry["say"], entry.get("needs", []))
        if all(hw.has_type(DeviceType(t)) for t in needs) and squash(text) not in scene_names:
            yield Binding({"phrase": text})
    if source == "smalltalk":
        for family in phrases["greetings"].values():
            if _scene_of(family, hw) is None and not any(hw.mentions(p) for p in family):
                yield from (Binding({"phrase": p}) for p in family)


def sensor_room(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A room with sensors that measure `measure`: those sensors. With `here`, the room is the request's."""
    for room_id, names in hw.room_sayings(_script(spec)):
        targets = hw.sensors(spec["measure"], room_id)
        if targets and not spec.get("here"):
            yield Binding({"room": names}, targets, room_id)
    if spec.get("here"):
        for r in hw.home.rooms:
            targets = hw.sensors(spec["measure"], r.id)
            if targets:
                yield Binding({}, targets, r.id, request_room=r.id)


def absent_kind(spec: Spec, hw: HomeWords, _: Phrases) -> Iterator[Binding]:
    """A kind of device the home has none of, in words no name of the home holds."""
    for kind in hw.kinds_in(_registers(spec), _types(spec)):
        if not any(hw.has_type(t) for t in kind.types) and not hw.mentions(kind.word):
            yield Binding({"kind": kind.word}, kind=kind, types=kind.types)


def absent_room(_: Spec, hw: HomeWords, phrases: Phrases) -> Iterator[Binding]:
    for word in phrases["absent_rooms"]:
        if not hw.mentions(word):
            yield Binding({"room": word})


def trigger(spec: Spec, hw: HomeWords, phrases: Phrases) -> Iterator[Binding]:
    """A condition (phrases.yaml `triggers`, or `en_triggers` with registers [en]), bound to the home's
    devices and sensors. `sensors_only` keeps the conditions on a room's sensor, `no_sensors` the others."""
    rows = phrases["en_triggers" if _script(spec) == "en" else "triggers"]
    for row in rows:
        if "sensor" in row if spec.get("no_sensors") else "sensor" not in row and spec.get("sensors_only"):
            continue
        yield from _trigger_bindings(row, hw)


def _trigger_bindings(row: Mapping[str, Any], hw: HomeWords) -> Iterator[Binding]:
    keep = bool(row.get("rule", True))
    if "sensor" in row:
        for room_id, names in hw.room_sayings("ko"):
            sensors = hw.sensors(row["sensor"], room_id)
            if len(sensors) == 1:
                yield _trigger(row, [{"room": n} for n in names], sensors[0], room_id, keep)
    elif "device" in row:
        devices = hw.home.devices_of_type(DeviceType(row["device"]))
        if "{name}" not in row["say"]:
            if len(devices) == 1:
                yield _trigger(row, [{}], devices[0].id, devices[0].room, keep)
            return
        for dev, names in hw.device_sayings(frozenset({DeviceType(row["device"])}), "ko"):
            yield _trigger(row, [{"name": n} for n in names], dev.id, dev.room, keep)
    else:
        yield _trigger(row, [{}], "", None, keep)


def _trigger(
    row: Mapping[str, Any], fills: list[dict[str, str]], device: str, room_id: str | None, keep: bool
) -> Binding:
    said = tuple(row["say"].format_map(f) for f in fills)
    when = {k: (v.format_map({"device": device}) if isinstance(v, str) else v) for k, v in row["when"].items()}
    return Binding({"when": said}, room=room_id, raw={"when": when if keep else None, "acts_on": row.get("acts_on")})


def none(_: Spec, __: HomeWords, ___: Phrases) -> Iterator[Binding]:
    yield Binding({})


BINDERS: Mapping[str, Callable[[Spec, HomeWords, Phrases], Iterator[Binding]]] = {
    "room": room,
    "room_kind": room_kind,
    "device": device,
    "kind_here": kind_here,
    "kind_alone": kind_alone,
    "every_kind": every_kind,
    "scene": scene,
    "greeting": greeting,
    "line": line,
    "sensor_room": sensor_room,
    "absent_kind": absent_kind,
    "absent_room": absent_room,
    "trigger": trigger,
    "none": none,
}
