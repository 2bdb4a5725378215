"""What one request was understood to ask: the commands, or why there are none, and what later
requests of the session refer back to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Command, Device, DeviceType


@dataclass(frozen=True)
class Previous:
    """The last command of a session or sentence, for "그거", "밝기 50으로" and "안방도" (rule 6)."""

    intent: str
    params: dict[str, Any]
    targets: tuple[str, ...]
    kinds: tuple[DeviceType, ...]


@dataclass
class Outcome:
    commands: list[Command] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    reason: str = ""  # why nothing was done: negated, keep, unclear, choose, no_property, smalltalk
    devices: list[Device] = field(default_factory=list)  # choose: the candidates; no_property: those lacking it
    detail: str = ""  # no_property: the property; smalltalk: which kind of small talk
