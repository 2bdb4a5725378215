"""What the rule engine needs from persistence (`jibsa.storage` implements it): the rules themselves,
beside the notifications they send."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from jibsa.hub.notification_store import NotificationStore


@dataclass(frozen=True, slots=True)
class StoredRule:
    """A rule as kept: its JSON form, and when it last fired (for `missed: fire`)."""

    id: str
    data: Mapping[str, Any]
    last_fired: float | None = None


@runtime_checkable
class RuleStore(NotificationStore, Protocol):
    async def save_rule(self, home_id: str, rule_id: str, data: Mapping[str, Any]) -> None: ...

    async def delete_rule(self, home_id: str, rule_id: str) -> None: ...

    async def load_rules(self, home_id: str) -> list[StoredRule]: ...

    async def rule_fired(self, home_id: str, rule_id: str, at: float) -> None: ...
