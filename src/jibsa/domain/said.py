"""What jibsa has to say, as a fact: a key of the words catalogue and the fields that fill it.

The core (hub, nlu, rules, adapters) hands these out; only `jibsa.words` turns one into a sentence, in
the language of whoever reads it, when it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class Said:
    """A sentence not yet worded: `key` names it in words/<lang>.yaml, `fields` fill its placeholders
    (plain JSON values, so it can be stored and worded later in another language)."""

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "fields": dict(self.fields)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Said:
        return cls(str(data["key"]), dict(data.get("fields") or {}))
