"""How a reply names the devices it speaks of: "거실 천장등과 거실 스탠드", "불을 모두", "모든 불의",
"불 5개를" — by name when there are few, by kind (and room) when there are many."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jibsa.domain import Device, Home, Room
from jibsa.domain.korean import join_names, josa

MAX_NAMED = 3


def target_phrase(home: Home, ids: Sequence[str], particle: str, lang: dict[str, Any], language: str) -> str:
    """The devices with `particle` (을, 의) attached where Korean puts it: "불을 모두", "모든 불의"."""
    devices = [d for d in (home.device(i) for i in ids) if d is not None]
    ko = language != "en"
    if len(ids) <= MAX_NAMED or len(devices) < len(ids):
        names = [d.name if d is not None else i for i, d in ((i, home.device(i)) for i in ids)]
        joined = join_names(names) if ko else " and ".join(names)
        return josa(joined, particle) if ko else joined
    kind = kind_word(devices, lang)
    scope = _every_of_kind(home, devices)
    if scope is None:
        counted = str(lang["counted"]).format(kind=kind, count=len(devices))
        return josa(counted, particle) if ko else counted
    room = scope[0]
    if not ko:
        return f"all the {kind}" + (f" in {room.name}" if room is not None else "")
    every = f"{room.name} {kind}" if room is not None else kind
    return f"모든 {josa(every, '의')}" if particle == "의" else f"{josa(every, particle)} 모두"


def kind_word(devices: Sequence[Device], lang: dict[str, Any]) -> str:
    """What people call these devices ("불", "에어컨"; "기기" when they are of several kinds)."""
    kinds = {d.type.value for d in devices}
    words: dict[str, str] = lang["kinds"]
    return str(words.get(kinds.pop(), words["device"])) if len(kinds) == 1 else str(words["device"])


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
