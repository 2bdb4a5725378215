"""Asking "which one?": a kind alone that matches devices in several rooms, said where no room is
known, is not guessed; the answer in the same session ("거실", "안방 에어컨", "둘 다") completes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jibsa.domain import Home
from jibsa.nlu.scanner import Token

# What an answer to "거실 에어컨이요, 안방 에어컨이요?" may be made of.
_ANSWER_TAGS = frozenset({"room", "device", "kind", "any", "all", "shadow"})


@dataclass(frozen=True, slots=True)
class PendingChoice:
    """A request waiting for the person to say which devices: its text, room and candidates."""

    text: str
    room: str | None
    candidates: tuple[str, ...]
    chosen: frozenset[str] = frozenset()


def picked(tokens: Sequence[Token], home: Home, candidates: Sequence[str]) -> frozenset[str]:
    """The candidates an answer picks; empty when the words are not an answer but a new request."""
    if not tokens or any(not token.tags() <= _ANSWER_TAGS for token in tokens):
        return frozenset()
    if any(token.has("all") for token in tokens):
        return frozenset(candidates)
    named = {value for token in tokens for value in token.values("device")}
    rooms = {value for token in tokens for value in token.values("room")}
    out = set()
    for device_id in candidates:
        device = home.device(device_id)
        if device_id in named or (device is not None and device.room in rooms):
            out.add(device_id)
    return frozenset(out)
