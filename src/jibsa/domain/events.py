"""Events that people's screens and speakers are sent over the events socket: each event type says
its own JSON form and who may see it (as the wyoming package's events say theirs); `policy.may_see`
decides from that who is sent it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Audience:
    """Who may be sent an event: everyone (`person` None), or one person, and the owners too when `owners`."""

    person: str | None = None
    owners: bool = False


EVERYONE = Audience()


@runtime_checkable
class PublicEvent(Protocol):
    """An event clients are sent: `to_json()` is its JSON object, with its ``type``."""

    @property
    def audience(self) -> Audience: ...

    def to_json(self) -> dict[str, Any]: ...
