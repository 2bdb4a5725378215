"""Questions about state ("거실 불 켜져 있어?", "세탁 언제 끝나?", "is the door locked"): which devices
or sensors they are about, and the property asked for. They never act."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from jibsa.domain import Command, DeviceType, Home
from jibsa.nlu.clause import Clause
from jibsa.nlu.lexicon import Lexicon
from jibsa.nlu.targets import Context, first_kind_with_devices, resolve, room_devices, sensors_measuring
from jibsa.nlu.understood import Interpretation, Previous

_OPEN_STATES = ("opening", "door", "window", "garage_door")


def query(clause: Clause, home: Home, lex: Lexicon, ctx: Context, previous: Previous | None) -> Interpretation:
    """A question about state: the devices (or sensors) it is about, and the property asked for."""
    props = [p for p in clause.tagged("prop") if p not in ("run_state",)]
    feelings = [f for f in lex.feelings if f.name in clause.tagged("feeling") and f.query]
    prop = props[0] if props else (feelings[0].query if feelings else None)
    measures = clause.tagged("measure")
    params: dict[str, Any] = {"property": prop} if prop else {}
    rooms = tuple(clause.bare_rooms) or ctx.carried
    res = resolve(home, clause, replace(ctx, carried=rooms))
    if res.not_found:
        return Interpretation(not_found=res.not_found, reason="not_found")
    ids = _query_named(clause, home, res.ids, measures)
    if not ids and not clause.devices:
        ids = _query_unnamed(
            clause, home, lex, replace(ctx, carried=rooms), prop=prop, measures=measures, previous=previous
        )
    asked = clause.tagged("state_is")
    unnamed = not clause.devices and all(spec.kind is None for spec in clause.specs)
    if asked and not prop and (unnamed or clause.has("which")):  # "켜진 거 있어?", "what's on?", "어떤 불이…"
        if not ids and unnamed:  # of the room said, or of the home
            ids = [d.id for d in room_devices(home, rooms)]
        if len(ids) > 1:
            params["state"] = asked[0]
    if not ids:
        return Interpretation(reason="unclear")
    return Interpretation(commands=[Command("query_state", tuple(ids), params)])


def _query_named(clause: Clause, home: Home, ids: list[str], measures: list[str]) -> list[str]:
    """Named targets; "기기"/"문" with a state word become the sensors that measure that state."""
    if clause.devices:
        return ids
    specs = clause.specs
    if not specs:
        return []
    rooms = tuple(r for s in specs for r in s.rooms)
    if any(s.kind is None for s in specs):
        if not measures and "power" in clause.tagged("state"):
            measures = ["power"]
        found = sensors_measuring(home, measures[::-1], rooms) if measures else []
        return [d.id for d in found] or ids
    if all(s.kind is DeviceType.DOOR_LOCK for s in specs) and ("position" in clause.tagged("state") or measures):
        found = sensors_measuring(home, measures or _OPEN_STATES, rooms)
        return [d.id for d in found] or ids
    if all(s.kind is DeviceType.SENSOR for s in specs) and measures:
        found = sensors_measuring(home, measures, rooms)
        return [d.id for d in found] or ids
    return ids


def _query_unnamed(
    clause: Clause,
    home: Home,
    lex: Lexicon,
    ctx: Context,
    *,
    prop: str | None,
    measures: list[str],
    previous: Previous | None,
) -> list[str]:
    if measures:
        found = sensors_measuring(home, measures, ctx.carried)
        if found:
            return [d.id for d in found]
    if prop:
        kinds = lex.kinds_in("query_kinds", prop) or lex.kinds_in("property_kinds", prop)
        found = first_kind_with_devices(home, kinds, ctx, prop)
        if found:
            return [d.id for d in found]
    if clause.bare_rooms:
        return [d.id for d in room_devices(home, clause.bare_rooms)]
    if previous is not None and (clause.has("ref") or prop):
        return list(previous.targets)
    return []
