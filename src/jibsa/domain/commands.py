"""The command format of the contract (section 3), and what carrying one out yields.

A command is ``{"intent", "targets", "params"}``. Timing (``delay_s``, ``at``, ``repeat``) travels
inside ``params`` so that a reader that only knows ``params`` still sees all of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain.asked_state import ASKED_STATES
from jibsa.domain.intents import BUILTIN_INTENTS, Handler

DEVICE_INTENTS = BUILTIN_INTENTS.names(handler=Handler.DEVICE)
INTENTS = frozenset(spec.name for spec in BUILTIN_INTENTS)
TIMING_KEYS = ("delay_s", "at", "repeat")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # a weekly repeat: "매주 월요일" is "mon"
REPEAT_DAYS: dict[str, frozenset[int]] = {  # the days (Monday 0) each repeat runs on
    "daily": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    **{name: frozenset({day}) for day, name in enumerate(WEEKDAY_NAMES)},
}
REPEATS = tuple(REPEAT_DAYS)
MAX_DELAY_S = 7 * 24 * 3600.0  # the longest delay or timer: a week ("다음 주 이맘때")
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


class CommandFormatError(ValueError):
    """A command that does not follow the format: says which field and why."""


@dataclass(frozen=True, slots=True)
class Command:
    intent: str
    targets: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def timing(self) -> Mapping[str, Any]:
        return {k: self.params[k] for k in TIMING_KEYS if k in self.params}

    @property
    def is_deferred(self) -> bool:
        return any(k in self.params for k in TIMING_KEYS)

    def without_timing(self) -> Command:
        return Command(self.intent, self.targets, {k: v for k, v in self.params.items() if k not in TIMING_KEYS})

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "targets": list(self.targets), "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Any, known: Container[str] = INTENTS) -> Command:
        """Build a command from its JSON form, of an intent in `known` (jibsa's own unless given);
        raises `CommandFormatError` naming the bad field."""
        if not isinstance(data, Mapping):
            raise CommandFormatError("a command must be a JSON object")
        intent = data.get("intent")
        if not isinstance(intent, str) or intent not in known:
            raise CommandFormatError(f"intent: unknown intent {intent!r}")
        targets = data.get("targets") or []
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise CommandFormatError("targets: must be a list of device ids")
        params = data.get("params") or {}
        if not isinstance(params, Mapping):
            raise CommandFormatError("params: must be an object")
        check_timing(params)
        if intent == "query_state" and "state" in params and params["state"] not in ASKED_STATES:
            raise CommandFormatError(f"params.state: must be one of {', '.join(ASKED_STATES)}")
        return cls(intent, tuple(targets), dict(params))


def check_timing(params: Mapping[str, Any]) -> None:
    """Raise `CommandFormatError` when delay_s, at or repeat is malformed."""
    delay = params.get("delay_s")
    if delay is not None and not is_duration(delay, allow_zero=True):
        raise CommandFormatError(f"params.delay_s: must be a number of seconds from 0 to {MAX_DELAY_S:g}")
    at = params.get("at")
    if at is not None and (not isinstance(at, str) or not _CLOCK_TIME.fullmatch(at)):
        raise CommandFormatError("params.at: must be a 24-hour time HH:MM")
    repeat = params.get("repeat")
    if repeat is not None and repeat not in REPEATS:
        raise CommandFormatError(f"params.repeat: must be one of {', '.join(REPEATS)}")
    if repeat is not None and at is None:
        raise CommandFormatError("params.repeat: needs params.at")


def is_duration(value: Any, *, allow_zero: bool = False) -> bool:
    """A finite number of seconds within `MAX_DELAY_S` (more than 0 unless `allow_zero`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    return (value >= 0 if allow_zero else value > 0) and value <= MAX_DELAY_S


def parse_clock(at: str) -> tuple[int, int]:
    """'21:05' -> (21, 5)."""
    match = _CLOCK_TIME.fullmatch(at)
    if not match:
        raise CommandFormatError(f"params.at: {at!r} is not a 24-hour time HH:MM")
    return int(match.group(1)), int(match.group(2))
