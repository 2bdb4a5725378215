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
class Interpretation:
    """What one request asks for; `reason` says why there is nothing (negated, keep, unclear, not_found,
    choose, no_property, bad_value, smalltalk, already: a feeling with nothing left to do), `devices` the
    candidates (choose) or the devices named (no_property, bad_value, already), `detail` the property, the
    kind of small talk or the feeling."""

    commands: list[Command] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    reason: str = ""
    devices: list[Device] = field(default_factory=list)
    detail: str = ""
    unread: str = ""  # a word of the request no list knows ("블"), which may be a slip
