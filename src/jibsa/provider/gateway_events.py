"""What of a home's events a gateway's WebSocket sends to one person of that home. A worker publishes each
event with who may see it (`{"audience": {"person", "owners"}, "event": {…}}`); the gateway decides with
`policy.may_see`, as `jibsa serve` does, and sends the event alone."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from jibsa.domain import Role
from jibsa.domain.events import Audience
from jibsa.domain.policy import may_see

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Relayed:
    audience: Audience
    event: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return self.event


def event_for(data: bytes, person: str, role: Role) -> str | None:
    """The event's JSON text if `person` (with `role`) may see it, else None. A document without a
    readable audience is never sent (rather than sent to everyone)."""
    relayed = _read(data)
    if relayed is None:
        log.warning("an event without a readable audience was not relayed")
        return None
    if not may_see(relayed, person, role):
        return None
    return json.dumps(relayed.event, ensure_ascii=False)


def _read(data: bytes) -> _Relayed | None:
    try:
        document = json.loads(data)
        audience, event = document["audience"], document["event"]
        person, owners = audience["person"], audience["owners"]
    except (ValueError, KeyError, TypeError):
        return None
    if isinstance(event, dict) and (person is None or isinstance(person, str)) and isinstance(owners, bool):
        return _Relayed(Audience(person, owners), event)
    return None
