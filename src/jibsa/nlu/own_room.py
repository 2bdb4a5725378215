"""Whether a request names the speaker's own room ("내 방 불 꺼줘", "turn off the light in my room"):
the gate then reads it as coming from the room the speaker's enrolled voice names."""

from __future__ import annotations

from functools import cache

from jibsa.nlu.lexicon import read_data


@cache
def _own_room_words() -> tuple[str, ...]:
    return tuple(_key(str(w)) for w in read_data("rooms.yaml")["own_room"])


def _key(text: str) -> str:
    return "".join(text.casefold().split())


def says_own_room(text: str) -> bool:
    """True when `text` says "내 방" (or "my room") in any spacing."""
    said = _key(text)
    return any(word in said for word in _own_room_words())
