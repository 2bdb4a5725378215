"""Notifications: stored per person (read/unread), announced on the bus for the dashboard, Web Push
and speakers. Timers finishing announce themselves here.

Bounded: the same text to the same person within COALESCE_S is kept once (a thousand rules on one switched
light tell each person once), and at most MAX_PER_MINUTE are stored in a minute; more are logged, not kept."""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Mapping, Sequence
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
class NotificationsResolved:
    """What the notifications `ids` told of no longer holds (the door is locked again): the page drops them."""

    home_id: str
    ids: tuple[int, ...]

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {"type": "notifications_resolved", "ids": list(self.ids)}


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


log = logging.getLogger(__name__)
COALESCE_S = 60.0
MAX_PER_MINUTE = 120


class Notifier:
    def __init__(self, home_id: str, store: NotificationStore, bus: EventBus, clock: Clock) -> None:
        self._home_id = home_id
        self._store = store
        self._bus = bus
        self._clock = clock
        self._recent: dict[tuple[str, str], float] = {}  # (person, text) -> when last kept
        self._kept_at: deque[float] = deque(maxlen=MAX_PER_MINUTE)

    async def notify(self, people: Sequence[str], said: Said, rule_id: str = "") -> list[Notification]:
        """Store one notification per person (or one for everyone) and announce each on the bus; the same
        sentence to the same person again within COALESCE_S, or more than MAX_PER_MINUTE, is not kept again."""
        sent = []
        same = json.dumps(said.to_json(), sort_keys=True, ensure_ascii=False, default=str)  # what coalesces
        for person in people or ("",):
            if not self._admit(person, said.key, same):
                continue
            kept = await self._store.add_notification(
                self._home_id, person, said, at=self._clock.now(), rule_id=rule_id
            )
            self._bus.publish(NotificationAdded(self._home_id, kept))
            sent.append(kept)
        return sent

    def _admit(self, person: str, key: str, same: str) -> bool:
        """Whether to keep the sentence `same` (its JSON; `key` names it in the log) for `person` now."""
        now = self._clock.now()
        if now - self._recent.get((person, same), -COALESCE_S) < COALESCE_S:
            return False
        if len(self._kept_at) == MAX_PER_MINUTE and now - self._kept_at[0] < 60.0:
            log.warning(
                "more than %d notifications in a minute; %r for %r not kept",
                MAX_PER_MINUTE,
                key,
                person or "everyone",
            )
            return False
        if len(self._recent) > 10 * MAX_PER_MINUTE:
            self._recent = {k: t for k, t in self._recent.items() if now - t < COALESCE_S}
        self._recent[(person, same)] = now
        self._kept_at.append(now)
        return True

    async def resolve(self, rule_id: str) -> None:
        """What `rule_id`'s notifications told of (a state) stopped holding: they are resolved, kept and
        no longer shown."""
        ids = await self._store.resolve_notifications(self._home_id, rule_id, at=self._clock.now())
        if ids:
            self._bus.publish(NotificationsResolved(self._home_id, tuple(ids)))

    def announce(self, said: Said, device: str | None = None) -> None:
        self._bus.publish(Announcement(self._home_id, said, device))

    async def adoption_needed(self, device: str) -> None:
        """A known safety device was announced from somewhere else and waits for an owner: to everyone."""
        await self.notify((), Said("notification.adoption_needed", {"device": device}))

    async def job_skipped(self, names: Sequence[str], late_s: float, what: Mapping[str, Any] | None = None) -> None:
        """A kept command fell due while jibsa was down and was too late to carry out: to everyone. `what`
        names it in either language (English names the devices in English); without it, `names` as they are."""
        if what is not None:
            await self.notify((), Said("notification.job_skipped_named", {"what": dict(what), "late": late_s}))
            return
        await self.notify((), Said("notification.job_skipped", {"what": list(names), "late": late_s}))

    async def rule_skipped(self, rule: str, late_s: float, rule_id: str) -> None:
        """A rule fell due while jibsa was down and was not carried out late: to everyone."""
        await self.notify((), Said("notification.rule_skipped", {"rule": rule, "late": late_s}), rule_id)

    async def timer_finished(self, event: TimerFinished) -> None:
        """ "10분 타이머가 끝났어요": to everyone, and aloud. One that ended while jibsa was down is told
        late within the grace, and past it only stored, saying when it was due."""
        called, fields = _timer_called(event)
        timer = Said(f"notification.timer_label{called}", fields).to_json()
        if event.missed and event.due_at is not None:
            when = {"day": event.due_at.date().isoformat(), "due": event.due_at.strftime("%H:%M")}
            await self.notify((), Said("notification.timer_missed", {"timer": timer, **when}))
            return
        if event.late_s:
            said = Said("notification.timer_finished_late", {"timer": timer, "late": event.late_s})
        else:
            said = Said(f"notification.timer_finished{called}", fields)
        await self.notify((), said)
        self.announce(said)


def _timer_called(event: TimerFinished) -> tuple[str, dict[str, Any]]:
    """How the timer is called (the ending of its sentence keys) and the fields that say it: by its name,
    by its length, or plainly."""
    seconds = float(event.job.command.get("params", {}).get("duration_s") or 0)
    if event.job.name:
        return "_named", {"name": str(event.job.name)}
    if seconds:
        return "_after", {"seconds": seconds}
    return "", {}
