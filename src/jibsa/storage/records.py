"""Values the store returns about people and what they did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class User:
    """A person of one home. `role` is "owner", "member" or "guest"; `created` is epoch seconds."""

    id: str
    home_id: str
    name: str
    role: str
    password_hash: str | None
    created: float


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One command someone sent: who (`user`, `role`), from where (`source`), what, and how it went."""

    at: float
    home_id: str
    user: str
    role: str
    source: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    result: dict[str, Any] = field(default_factory=dict)
