"""Events as the WebSocket sends them: the hub's events, and the API's own (a conversation's result,
the list of pending jobs changing), each as one JSON object with a ``type``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jibsa.answers import said
from jibsa.domain import AvailabilityChanged, Home, Role, StateChanged
from jibsa.hub import HomeChanged, JobFired, JobSkipped, TimerFinished
from jibsa.hub.notifications import Announcement, NotificationAdded
from jibsa.nlu.josa import duration_text, join_names
from jibsa.presentation.state_words import summary
from jibsa.rules.runner import RuleFired


@dataclass(frozen=True, slots=True)
class ConversationHandled:
    """Someone talked to the home: what they said, the reply and the results (published by the API)."""

    user: str
    text: str
    turn: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class JobsChanged:
    """A timer or schedule was added or cancelled through the API."""

    reason: str


def may_see(event: object, user: str, role: Role) -> bool:
    """Whether `user` (with `role`) is sent `event`. What someone said and was answered goes to them and
    to the home's owners only; a notification only to the person it is for (or everyone, when it names
    nobody); device states, timers and the home's shape are for everyone, who may all see every device."""
    if isinstance(event, ConversationHandled):
        return event.user == user or role is Role.OWNER
    if isinstance(event, NotificationAdded):
        return event.notification.person in ("", user)
    return True


def event_to_dict(event: object, home: Home | None = None) -> dict[str, Any] | None:
    """The JSON form of an event, or None for events clients are not sent. With the `home`, a state
    change carries the device's `summary` in people's words ({"ko", "en"})."""
    if isinstance(event, StateChanged):
        data = {"type": "state_changed", "device": event.device_id, "state": _public(event.new),
                "changed": _public(event.changed), "at": event.at, "cause": event.cause}
        device = home.device(event.device_id) if home is not None else None
        if device is not None:
            data["summary"] = summary(device.type, event.new)
        return data
    if isinstance(event, AvailabilityChanged):
        return {"type": "availability_changed", "device": event.device_id, "available": event.available,
                "at": event.at}
    if isinstance(event, ConversationHandled):
        return {"type": "conversation", "user": event.user, "text": event.text, **event.turn}
    if isinstance(event, JobsChanged):
        return {"type": "jobs_changed", "reason": event.reason}
    if isinstance(event, HomeChanged):
        return {"type": "home_changed", "added": list(event.added), "removed": list(event.removed)}
    if isinstance(event, JobFired):
        return {"type": "job_fired", "job": event.job.id, "name": event.job.name, "late": event.late,
                "outcome": event.outcome.to_dict()}
    if isinstance(event, JobSkipped):
        return {"type": "job_skipped", "job": event.job.id, "late_s": round(event.late_s),
                "message": _skipped(event, "ko"), "message_en": _skipped(event, "en")}
    if isinstance(event, TimerFinished):
        return {"type": "timer_finished", "job": event.job.id, "name": event.job.name}
    if isinstance(event, NotificationAdded):
        return {"type": "notification", **event.notification.to_dict()}
    if isinstance(event, Announcement):  # for a speaker or voice satellite listening on the socket
        return {"type": "announcement", "text": event.text, "text_en": event.text_en, "device": event.device}
    if isinstance(event, RuleFired):
        return {"type": "rule_fired", "rule": event.rule_id, "name": event.name, "at": event.at,
                "reason": event.reason, "reason_en": event.reason_en, "late": event.late}
    return None


def encode_event(event: object, home: Home | None = None) -> str | None:
    data = event_to_dict(event, home)
    return None if data is None else json.dumps(data, ensure_ascii=False, default=str)


class EventEncoder:
    """`encode_event` that remembers the last event: every WebSocket client sends the same events in
    the same order, so one encoding serves them all."""

    def __init__(self, home: Callable[[], Home] | None = None) -> None:
        self._home = home  # the home as it is now (for device summaries)
        self._event: object = None
        self._text: str | None = None

    def __call__(self, event: object) -> str | None:
        if event is not self._event:
            self._event, self._text = event, encode_event(event, self._home() if self._home else None)
        return self._text


def _public(state: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith("_")}


def _skipped(event: JobSkipped, language: str) -> str:
    if language == "en":
        late = f"{round(event.late_s / 60)} min" if event.late_s >= 60 else f"{round(event.late_s)} s"
        return said("job_skipped", "en", what=" and ".join(event.names), late=late)
    return said("job_skipped", "ko", what=join_names(list(event.names)), late=duration_text(event.late_s))
