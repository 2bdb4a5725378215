"""What a home gives the corpus templates: the words for its rooms, devices, kinds and scenes, and which
devices each phrase means under the contract's rules (docs/home-and-commands.md, section 4, and the
`needs_choice` refinement in section 6). Expected answers come from the home file and the word lists only,
never from jibsa's parser.

A phrase whose meaning the rules leave open (a kind word that is also one device's alias, a room plus a
kind whose words are another device's name) is not bound at all: the corpus skips it rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Device, DeviceType, Home

_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*$")


@dataclass(frozen=True)
class Kind:
    """A word for a kind of device: "불" means every light, "후드" (narrow) only devices named so."""

    word: str
    types: frozenset[DeviceType]
    narrow: bool = False
    register: str = "ko"


@dataclass(frozen=True)
class Binding:
    """One way to fill a template slot in one home: the words it puts in the sentence and what they mean."""

    text: Mapping[str, str | tuple[str, ...]]  # placeholder → its words (one of a tuple per sentence)
    targets: tuple[str, ...] = ()
    room: str | None = None  # the room the words name (or the trigger's room)
    request_room: str | None = None  # the room the request is said in, when the words name none
    kind: Kind | None = None
    types: frozenset[DeviceType] = frozenset()
    asks: bool = False  # a kind in several rooms and no room known: the contract asks which
    raw: Mapping[str, Any] = field(default_factory=dict)  # values for the expectation (scene, when, room_id)

    @property
    def key(self) -> str:
        return "|".join(f"{k}={v}" for k, v in sorted(self.text.items())) + f"|{self.request_room}"


def squash(text: str) -> str:
    return "".join(text.split()).lower()


def load_kinds(rows: Sequence[Mapping[str, Any]]) -> list[Kind]:
    return [
        Kind(
            r["word"],
            frozenset(DeviceType(t) for t in r["types"]),
            bool(r.get("narrow", False)),
            str(r.get("register", "ko")),
        )
        for r in rows
    ]


def in_script(text: str, script: str) -> bool:
    """Korean words hold Hangul; English ones are Latin letters only."""
    return bool(_HANGUL.search(text)) if script == "ko" else bool(_LATIN.match(text))


class HomeWords:
    """The names a home's people use, and what the contract says each phrase means there."""

    def __init__(self, home: Home, kinds: Sequence[Kind]) -> None:
        self.home = home
        self.kinds = list(kinds)
        self._named: dict[str, set[str]] = {}
        for device in home.devices:
            for name in device.names:
                self._named.setdefault(squash(name), set()).add(device.id)

    def room_sayings(self, script: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(room id, what it is called: its names that no other room shares)."""
        said: dict[str, set[str]] = {}
        for room in self.home.rooms:
            for name in room.names:
                said.setdefault(squash(name), set()).add(room.id)
        for room in self.home.rooms:
            names = tuple(n for n in room.names if in_script(n, script) and len(said[squash(n)]) == 1)
            if names:
                yield room.id, names

    def device_sayings(self, types: frozenset[DeviceType], script: str) -> Iterator[tuple[Device, tuple[str, ...]]]:
        """(device, its names and aliases that no other device has)."""
        for device in self.home.devices:
            if types and device.type not in types:
                continue
            names = tuple(n for n in device.names if in_script(n, script) and self._named.get(squash(n)) == {device.id})
            if names:
                yield device, names

    def kinds_in(self, registers: Sequence[str], types: frozenset[DeviceType]) -> list[Kind]:
        return [k for k in self.kinds if k.register in registers and (not types or k.types & types)]

    def of_kind(self, kind: Kind, room: str | None, *, anywhere: bool = False) -> tuple[str, ...]:
        """The devices a kind word means in `room` (or in the whole home with `anywhere`)."""
        found = []
        for device in self.home.devices:
            if device.type not in kind.types or (not anywhere and device.room != room):
                continue
            if kind.narrow and not any(squash(kind.word) in squash(n) for n in device.names):
                continue
            found.append(device.id)
        return tuple(sorted(found))

    def agrees(self, phrase: str, targets: tuple[str, ...]) -> bool:
        """False when `phrase` is itself a device's name or alias and means something other than `targets`."""
        named = self._named.get(squash(phrase))
        return named is None or tuple(sorted(named)) == targets

    def has_type(self, kind: DeviceType) -> bool:
        return any(d.type is kind for d in self.home.devices)

    def mentions(self, word: str) -> bool:
        """Whether any room, device or scene name of the home holds `word`."""
        names = [n for r in self.home.rooms for n in r.names] + [n for d in self.home.devices for n in d.names]
        names += [n for s in self.home.scenes for n in s.names]
        return any(squash(word) in squash(n) for n in names)

    def sensors(self, measure: str, room: str | None) -> tuple[str, ...]:
        return tuple(
            sorted(
                d.id
                for d in self.home.devices
                if d.type is DeviceType.SENSOR and measure in d.measures and d.room == room
            )
        )
