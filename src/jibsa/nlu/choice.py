"""Asking "which one?": a kind alone that matches devices in several rooms, said where no room is
known, is not guessed; the answer in the same session ("거실", "안방 에어컨", "둘 다") completes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jibsa.domain import Home
from jibsa.nlu.scanner import Token

# What an answer to "거실 에어컨이요, 안방 에어컨이요?" may be made of ("거실", "안방 에어컨", "둘 다", "거실 거 켜줘").
_ANSWER_TAGS = frozenset({"room", "device", "kind", "any", "all", "shadow", "verb", "timer_set", "timer_cancel"})


@dataclass(frozen=True, slots=True)
class PendingChoice:
    """A request waiting for the person to say which devices: its text, room and candidates."""

    text: str
    room: str | None
    candidates: tuple[str, ...]
    chosen: frozenset[str] = frozenset()


def picked(tokens: Sequence[Token], home: Home, candidates: Sequence[str]) -> frozenset[str]:
    """The candidates an answer picks; empty when the words are not an answer but a new request
    (other words, another kind of device, a device not asked about)."""
    if not tokens or any(not token.tags() <= _ANSWER_TAGS for token in tokens):
        return frozenset()
    devices = [d for d in (home.device(i) for i in candidates) if d is not None]
    named = {value for token in tokens for value in token.values("device")}
    kinds = {value for token in tokens if not token.has("device") for value in token.values("kind")}
    if not named <= set(candidates) or not kinds <= {d.type for d in devices}:
        return frozenset()
    if any(token.has("all") for token in tokens):
        return frozenset(candidates)
    rooms = {value for token in tokens for value in token.values("room")}
    return frozenset(d.id for d in devices if d.id in named or d.room in rooms)
