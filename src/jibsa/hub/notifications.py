"""Notifications: stored per person (read/unread), announced on the bus for the dashboard, Web Push
and speakers. Timers finishing announce themselves here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.domain.events import EVERYONE, Audience
from jibsa.domain.said import Said
from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus
from jibsa.hub.notification_store import Notification, NotificationStore
from jibsa.hub.timers import TimerFinished


@dataclass(frozen=True, slots=True)
class NotificationAdded:
    home_id: str
    notification: Notification

    @property
    def audience(self) -> Audience:
        """The person it is for; everyone, when it names nobody."""
        return Audience(self.notification.person or None)

    def to_json(self) -> dict[str, Any]:
        return {"type": "notification", **self.notification.to_dict()}


@dataclass(frozen=True, slots=True)
class Announcement:
    """Something to say aloud on a speaker or voice satellite (`device` None: every one)."""

    home_id: str
    said: Said
    device: str | None = None

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        """For a speaker or voice satellite listening on the events socket (which adds the words)."""
        return {"type": "announcement", "said": self.said.to_json(), "device": self.device}


class Notifier:
    def __init__(self, home_id: str, store: NotificationStore, bus: EventBus, clock: Clock) -> None:
        self._home_id = home_id
        self._store = store
        self._bus = bus
        self._clock = clock

    async def notify(self, people: Sequence[str], said: Said, rule_id: str = "") -> list[Notification]:
        """Store one notification per person (or one for everyone) and announce each on the bus."""
        sent = []
        for person in people or ("",):
            kept = await self._store.add_notification(self._home_id, person, said, at=self._clock.now(),
                                                      rule_id=rule_id)
            self._bus.publish(NotificationAdded(self._home_id, kept))
            sent.append(kept)
        return sent

    def announce(self, said: Said, device: str | None = None) -> None:
        self._bus.publish(Announcement(self._home_id, said, device))

    async def timer_finished(self, event: TimerFinished) -> None:
        """"10분 타이머가 끝났어요": to everyone, and aloud."""
        seconds = float(event.job.command.get("params", {}).get("duration_s") or 0)
        name = str(event.job.name or "")
        if name:
            said = Said("notification.timer_finished_named", {"name": name})
        elif seconds:
            said = Said("notification.timer_finished_after", {"seconds": seconds})
        else:
            said = Said("notification.timer_finished")
        await self.notify((), said)
        self.announce(said)
