"""The command format of the contract (section 3), and what carrying one out yields.

A command is ``{"intent", "targets", "params"}``. Timing (``delay_s``, ``at``, ``repeat``) travels
inside ``params`` so that a reader that only knows ``params`` still sees all of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEVICE_INTENTS = frozenset(
    {"turn_on", "turn_off", "open", "close", "lock", "unlock", "set", "adjust", "start", "stop", "pause", "dock",
     "query_state"}
)  # fmt: skip
HOME_INTENTS = frozenset(
    {"run_scene", "set_timer", "cancel_timer", "query_timer", "get_weather", "get_time", "get_date", "add_item",
     "cancel"}
)  # fmt: skip
RULE_INTENTS = frozenset({"add_rule", "list_rules", "enable_rule", "disable_rule", "remove_rule", "why"})
INTENTS = DEVICE_INTENTS | HOME_INTENTS | RULE_INTENTS
TIMING_KEYS = ("delay_s", "at", "repeat")
REPEATS = ("daily", "weekdays", "weekends")
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
    def from_dict(cls, data: Any) -> Command:
        """Build a command from its JSON form; raises `CommandFormatError` naming the bad field."""
        if not isinstance(data, Mapping):
            raise CommandFormatError("a command must be a JSON object")
        intent = data.get("intent")
        if intent not in INTENTS:
            raise CommandFormatError(f"intent: unknown intent {intent!r}")
        targets = data.get("targets") or []
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise CommandFormatError("targets: must be a list of device ids")
        params = data.get("params") or {}
        if not isinstance(params, Mapping):
            raise CommandFormatError("params: must be an object")
        check_timing(params)
        return cls(intent, tuple(targets), dict(params))


def check_timing(params: Mapping[str, Any]) -> None:
    """Raise `CommandFormatError` when delay_s, at or repeat is malformed."""
    delay = params.get("delay_s")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
        raise CommandFormatError("params.delay_s: must be a number of seconds, 0 or more")
    at = params.get("at")
    if at is not None and (not isinstance(at, str) or not _CLOCK_TIME.fullmatch(at)):
        raise CommandFormatError("params.at: must be a 24-hour time HH:MM")
    repeat = params.get("repeat")
    if repeat is not None and repeat not in REPEATS:
        raise CommandFormatError(f"params.repeat: must be one of {', '.join(REPEATS)}")
    if repeat is not None and at is None:
        raise CommandFormatError("params.repeat: needs params.at")


def parse_clock(at: str) -> tuple[int, int]:
    """'21:05' -> (21, 5)."""
    match = _CLOCK_TIME.fullmatch(at)
    if not match:
        raise CommandFormatError(f"params.at: {at!r} is not a 24-hour time HH:MM")
    return int(match.group(1)), int(match.group(2))
