"""One-letter slips ("거실 블 켜줘"): a word not understood that is one letter (one jamo) away from words the
home knows. Exactly one such word: read it as that word and say so; several: ask; none: say what was not
understood. A slip never widens a request: the word is read as a word, or nothing is done."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from jibsa.domain import Home
from jibsa.nlu.lexicon import Lexicon
from jibsa.nlu.normalise import compact, normalise


def jamo(word: str) -> str:
    """The letters of a word: syllables decomposed into their jamo ("불" -> "불")."""
    return unicodedata.normalize("NFD", word)


def one_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one letter changed, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@dataclass(frozen=True)
class Slip:
    """A word not understood (`said`) read as a word of the home (`meant`); `ask`: not sure, asked first."""

    said: str
    meant: str
    ask: bool = False


@dataclass(frozen=True)
class SlipReader:
    """The words of one home a slip may stand for: kinds of device, device and room names."""

    words: tuple[tuple[str, str], ...]  # (word, its jamo)

    @classmethod
    def for_home(cls, home: Home, lexicon: Lexicon) -> SlipReader:
        said: Iterable[str] = [
            *(w for words in lexicon.kinds.values() for w in words),
            *(n for d in home.devices for n in d.names),
            *(n for r in home.rooms for n in r.names),
        ]
        found = {compact(normalise(w)) for w in said}
        return cls(tuple(sorted((w, jamo(w)) for w in found if w and not w.isascii())))

    def meant(self, word: str) -> list[str]:
        """The known words one letter away from `word`, in a fixed order."""
        letters = jamo(word)
        return [w for w, j in self.words if one_apart(letters, j)]
