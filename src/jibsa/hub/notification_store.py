"""What notifications need from persistence (`jibsa.storage` implements it): people's notifications and
their browsers' Web Push subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for one person (`person` "" means everyone in the home)."""

    id: int
    person: str
    text: str
    text_en: str
    at: float
    read: bool = False
    rule_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "person": self.person, "text": self.text, "text_en": self.text_en, "at": self.at,
                "read": self.read, "rule_id": self.rule_id}


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """A browser's Web Push subscription (its endpoint and keys, base64url), for one person."""

    endpoint: str
    person: str
    p256dh: str
    auth: str

    def info(self) -> dict[str, Any]:
        """The `subscription_info` pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@runtime_checkable
class NotificationStore(Protocol):
    async def add_notification(self, home_id: str, person: str, text: str, text_en: str, *, at: float,
                               rule_id: str) -> Notification: ...

    async def notifications(self, home_id: str, person: str | None, *, unread_only: bool = False,
                            limit: int = 100) -> list[Notification]:
        """Newest first: `person`'s own and everyone's (all of them when `person` is None)."""
        ...

    async def mark_read(self, home_id: str, person: str | None, ids: list[int] | None) -> int:
        """Mark `ids` (None: all) of `person`'s notifications read; returns how many changed."""
        ...

    async def save_push_subscription(self, home_id: str, subscription: PushSubscription) -> None: ...

    async def push_subscriptions(self, home_id: str, person: str | None) -> list[PushSubscription]: ...

    async def delete_push_subscription(self, home_id: str, endpoint: str) -> None: ...
