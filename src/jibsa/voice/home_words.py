"""The home's own words, given to the recogniser as "hotwords" (Whisper's previous-text prompt): its rooms'
and devices' names and the word for each kind of device it has, in the language being heard.

Measured on espeak-ng English with white noise at 10 dB SNR (bench/voice_bench.py), this lifts what is
understood by over ten points. Two limits, on purpose:

- A safety device (door lock, gas valve, garage door) is never in the prompt, nor its kind's words: a
  prompt makes the recogniser likelier to hear its words, and a lock or the gas is acted on only when the
  audio itself names it plainly.
- English only. A Korean prompt of the home's phrases made Whisper base repeat the prompt instead of
  hearing the speech, and Korean speech cannot be measured here (espeak-ng's Korean is unintelligible to
  recognisers), so Korean is heard without one."""

from __future__ import annotations

import re

from jibsa.domain import Home
from jibsa.domain.policy import SAFETY_TYPES
from jibsa.nlu.lexicon import load_lexicon

PROMPTED_LANGUAGES = frozenset({"en"})
MAX_WORDS = 60  # Whisper's prompt takes at most half its 448-token context; a home's words stay far below
_LATIN = re.compile(r"^[a-z][a-z' ]*$")


def home_words(home: Home, language: str) -> str | None:
    """The home's room names, device names and kind words as one comma-separated prompt in `language`
    (None for a language heard without one, or a home with no such words)."""
    if language not in PROMPTED_LANGUAGES:
        return None
    kinds = load_lexicon().kinds
    safe = [d for d in home.devices if d.type not in SAFETY_TYPES]
    unsafe = {_plain(w) for d in home.devices if d.type in SAFETY_TYPES for w in (*d.names, *kinds.get(d.type, ()))}
    words: list[str] = []
    for name in [n for r in home.rooms for n in r.names] + [n for d in safe for n in d.names]:
        _add(words, name, unsafe)
    for kind in dict.fromkeys(d.type for d in safe):  # the first English word for each kind, in the home's order
        first = next((w for w in kinds.get(kind, ()) if _LATIN.match(w)), None)
        if first is not None:
            _add(words, first, unsafe)
    return ", ".join(words[:MAX_WORDS]) or None


def _plain(word: str) -> str:
    return " ".join(word.lower().split())


def _add(words: list[str], word: str, unsafe: set[str]) -> None:
    plain = _plain(word)
    if _LATIN.match(plain) and plain not in unsafe and plain not in words:
        words.append(plain)
