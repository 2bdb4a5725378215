"""Requests that wait for a second word — the one place that keeps them.

A request that needs confirming (unlocking a door, saving a rule) is held for the person and session
that made it, for `CONFIRM_WINDOW_S`. It is carried out when that person then says yes ("응") in the
same session, or sends exactly the same request again marked as confirmed (the API's ``"confirm":
true``); anything else confirms nothing. The conversation, the device endpoint and rules all use this.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jibsa.domain import Command

CONFIRM_WINDOW_S = 60.0
MAX_HELD = 10_000

# Words that answer a held request, in either language.
YES_WORDS = frozenset(
    {"응", "어", "네", "예", "그래", "좋아", "열어", "열어줘", "확인", "맞아", "저장해", "저장해줘",
     "yes", "yeah", "ok", "okay", "sure", "confirm"}
)  # fmt: skip
NO_WORDS = frozenset({"아니", "아니요", "아니야", "싫어", "됐어", "취소", "no", "nope", "cancel"})
_PUNCTUATION = re.compile(r"[\s.,!?~…]+")


class Answer(Enum):
    YES = "yes"
    NO = "no"


def answer_in(text: str) -> Answer | None:
    """YES or NO when `text` is nothing but a yes or a no ("응!", "아니요."), else None."""
    word = _PUNCTUATION.sub("", text.strip().lower())
    if word in YES_WORDS:
        return Answer.YES
    if word in NO_WORDS:
        return Answer.NO
    return None


@dataclass(frozen=True, slots=True)
class Held:
    """A request waiting for its second word: the commands, what will be said when it is carried out,
    the language it was asked in, and anything its owner wants back (a rule to save, for instance)."""

    commands: tuple[Command, ...]
    promised: str = ""
    language: str = "ko"
    asked_at: float = 0.0
    extra: Any = None


def request_key(commands: Sequence[Command]) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """What makes two requests the same: intents, targets and every parameter (timing included)."""
    return tuple((c.intent, c.targets, repr(sorted(c.params.items()))) for c in commands)


class Confirmations:
    """Held requests of one home, per person and session (`who`), each alive for `window` seconds."""

    def __init__(self, window: float = CONFIRM_WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._held: OrderedDict[str, Held] = OrderedDict()

    def hold(
        self, who: str, commands: Sequence[Command], promised: str = "", language: str = "ko", extra: Any = None
    ) -> Held:
        """Keep `commands` for `who` until confirmed, declined, replaced or expired."""
        held = Held(tuple(commands), promised, language, self._clock(), extra)
        self._held[who] = held
        self._held.move_to_end(who)
        while len(self._held) > MAX_HELD:
            self._held.popitem(last=False)
        return held

    def waiting(self, who: str) -> Held | None:
        """What `who` has waiting, if it has not expired."""
        held = self._held.get(who)
        if held is not None and self._clock() - held.asked_at > self.window:
            del self._held[who]
            return None
        return held

    def take(self, who: str, commands: Sequence[Command] | None = None) -> Held | None:
        """The held request, once: when `commands` is given, only if it is exactly that request."""
        held = self.waiting(who)
        if held is None or (commands is not None and request_key(commands) != request_key(held.commands)):
            return None
        del self._held[who]
        return held

    def drop(self, who: str) -> Held | None:
        return self._held.pop(who, None)
