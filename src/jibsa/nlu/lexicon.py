"""The parser's word lists, read once from data/lexicon.yaml and data/rooms.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import DeviceType


@dataclass(frozen=True)
class Feeling:
    name: str
    words: tuple[str, ...]
    intent: str
    kinds: tuple[DeviceType, ...]
    query: str | None = None
    property: str | None = None
    direction: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """Everything in lexicon.yaml, typed. Word lists are tuples; maps are read-only by convention."""

    raw: dict[str, Any]
    typos: tuple[tuple[str, str], ...]
    kinds: dict[DeviceType, tuple[str, ...]]
    feelings: tuple[Feeling, ...]
    room_words: dict[str, tuple[str, ...]]

    def words(self, key: str) -> tuple[str, ...]:
        return tuple(str(w) for w in self.raw.get(key) or ())

    def groups(self, key: str) -> dict[str, tuple[str, ...]]:
        """A mapping section such as `verbs` or `measures`: name -> words."""
        return {str(k): tuple(str(w) for w in v) for k, v in (self.raw.get(key) or {}).items()}

    def section(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key) or {}
        return dict(value)

    def kinds_in(self, section: str, key: str) -> list[DeviceType]:
        """The device kinds a section lists for `key` (property_kinds: brightness -> [light])."""
        return [DeviceType(k) for k in self.section(section).get(key, ())]


def read_data(name: str) -> Any:
    """One of the parser's data files (data/<name>), as YAML."""
    text = resources.files("jibsa.nlu.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, loaded once per process (it is immutable)."""
    raw = read_data("lexicon.yaml")
    typos = tuple(sorted(((str(k), str(v)) for k, v in raw["typos"].items()), key=lambda kv: -len(kv[0])))
    kinds = {DeviceType(k): tuple(str(w) for w in v) for k, v in raw["kinds"].items()}
    feelings = tuple(
        Feeling(
            name,
            tuple(str(w) for w in spec["words"]),
            str(spec["intent"]),
            tuple(DeviceType(k) for k in spec["kinds"]),
            spec.get("query"),
            spec.get("property"),
            spec.get("direction"),
        )
        for name, spec in raw["feelings"].items()
    )
    rooms = {str(k): tuple(str(w) for w in v) for k, v in read_data("rooms.yaml")["rooms"].items()}
    return Lexicon(raw, typos, kinds, feelings, rooms)
