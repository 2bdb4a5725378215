"""Events as the WebSocket sends them: each event type writes its own JSON (`to_json`), and says who
may see it (`audience`, which `policy.may_see` reads); the API's own events (a conversation's result,
the list of pending jobs changing) are here. Only the words for people are added on the way out: a
state change's summary, a skipped job's sentence, a notification's or an announcement's text."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.answers import said
from jibsa.domain import Home
from jibsa.domain.events import EVERYONE, Audience, PublicEvent
from jibsa.domain.korean import duration_text, join_names
from jibsa.domain.policy import may_see
from jibsa.domain.said import Said
from jibsa.presentation.state_words import summary
from jibsa.words import say
from jibsa.words.results import outcome_with_words

__all__ = [
    "ConversationHandled",
    "EventEncoder",
    "JobsChanged",
    "encode_event",
    "event_to_dict",
    "may_see",
    "with_words",
]


@dataclass(frozen=True, slots=True)
class ConversationHandled:
    """Someone talked to the home: what they said, the reply and the results (published by the API)."""

    user: str
    text: str
    turn: Mapping[str, Any]

    @property
    def audience(self) -> Audience:
        """The person who talked, and the home's owners."""
        return Audience(self.user, owners=True)

    def to_json(self) -> dict[str, Any]:
        return {"type": "conversation", "user": self.user, "text": self.text, **self.turn}


@dataclass(frozen=True, slots=True)
class JobsChanged:
    """A timer or schedule was added or cancelled through the API."""

    reason: str

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {"type": "jobs_changed", "reason": self.reason}


def event_to_dict(event: object, home: Home | None = None) -> dict[str, Any] | None:
    """The JSON form of an event, or None for events clients are not sent. With the `home`, a state
    change carries the device's `summary` in people's words ({"ko", "en"})."""
    if not isinstance(event, PublicEvent):
        return None
    data = event.to_json()
    add_words = _PEOPLES_WORDS.get(data["type"])
    if add_words is not None:
        add_words(data, home)
    return data


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


def _state_summary(data: dict[str, Any], home: Home | None) -> None:
    device = home.device(data["device"]) if home is not None else None
    if device is not None:
        data["summary"] = summary(device.type, data["state"])


def _skipped_words(data: dict[str, Any], _: Home | None) -> None:
    late_s, names = data["late_s"], data["names"]
    late = f"{round(late_s / 60)} min" if late_s >= 60 else f"{round(late_s)} s"
    what = data.get("what")  # the devices or the scene as a fact, named in English for English
    data["message"] = said("job_skipped", "ko", what=what or join_names(names), late=duration_text(late_s))
    data["message_en"] = said("job_skipped", "en", what=what or " and ".join(names), late=late)


def with_words(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (a notification's or an announcement's JSON, with its `said`) with `text` and `text_en`,
    worded from the catalogue."""
    said = Said.from_json(data["said"])
    data["text"], data["text_en"] = say(said, "ko"), say(said, "en")
    return data


def _said_words(data: dict[str, Any], _: Home | None) -> None:
    with_words(data)


def _result_words(data: dict[str, Any], _: Home | None) -> None:
    outcome_with_words(data)


_PEOPLES_WORDS: dict[str, Callable[[dict[str, Any], Home | None], None]] = {
    "state_changed": _state_summary, "job_skipped": _skipped_words, "notification": _said_words,
    "announcement": _said_words, "job_fired": _result_words,
}  # fmt: skip
