"""What notifications need from persistence (`jibsa.storage` implements it): people's notifications and
their browsers' Web Push subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from jibsa.domain.said import Said

# A notification stored as finished sentences (before notifications kept their words' key), or a
# sentence someone wrote (a rule's own message): its Korean and English texts as fields.
AS_WRITTEN = "notification.as_written"


def as_written(text: str, text_en: str = "") -> Said:
    """A sentence already written, in Korean and English (the same text twice when it has one language)."""
    return Said(AS_WRITTEN, {"text": {"ko": text, "en": text_en or text}})


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for one person (`person` "" means everyone in the home). What it says is kept as a key
    of the words catalogue and its fields, worded in the reader's language when it is read."""

    id: int
    person: str
    said: Said
    at: float
    read: bool = False
    rule_id: str = ""
    resolved_at: float | None = None  # when the state it told of stopped holding (None: still current)

    def to_dict(self) -> dict[str, Any]:
        """Its JSON without words: the edges (API, events, Web Push) add `text` and `text_en`."""
        return {
            "id": self.id,
            "person": self.person,
            "said": self.said.to_json(),
            "at": self.at,
            "read": self.read,
            "rule_id": self.rule_id,
            "resolved_at": self.resolved_at,
        }


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
    async def add_notification(
        self, home_id: str, person: str, said: Said, *, at: float, rule_id: str
    ) -> Notification: ...

    async def notifications(
        self, home_id: str, person: str | None, *, unread_only: bool = False, limit: int = 100, resolved: bool = False
    ) -> list[Notification]:
        """Newest first: `person`'s own and everyone's (all of them when `person` is None); the resolved
        ones too only when `resolved`."""
        ...

    async def resolve_notifications(self, home_id: str, rule_id: str, *, at: float) -> list[int]:
        """Mark the rule's current notifications resolved at `at`; returns their ids."""
        ...

    async def mark_read(self, home_id: str, person: str | None, ids: list[int] | None) -> int:
        """Mark `ids` (None: all) of `person`'s notifications read; returns how many changed."""
        ...

    async def save_push_subscription(self, home_id: str, subscription: PushSubscription) -> None: ...

    async def push_subscriptions(self, home_id: str, person: str | None) -> list[PushSubscription]: ...

    async def delete_push_subscription(self, home_id: str, endpoint: str) -> None: ...
