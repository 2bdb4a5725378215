"""Text as the parser reads it: one Unicode form, lower case, misspellings fixed, symbols dropped."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from jibsa.nlu.lexicon import load_lexicon

# The longest request read, after spaces and symbols are collapsed; a longer one is refused ("too_long"),
# never cut: what is cut off could change what the rest means.
MAX_CHARS = 2000
_KEEP = re.compile(r"[^0-9a-z가-힣ㄱ-ㅎㅏ-ㅣ%:.?/'\-\s]")
_SPACES = re.compile(r"\s+")
# NFKC would turn the letters of "ㅋㅋㅋ" into jamo that join syllables; everything else is normalised.
_BESIDE_JAMO = re.compile(r"[^ㄱ-ㅣ]+")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[a-z]")


@cache
def _typo_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    typos = dict(load_lexicon().typos)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(typos, key=len, reverse=True)))
    return pattern, typos


def normalise(text: str) -> str:
    """NFC, lower case, typos fixed, everything but letters, digits and a few marks turned into spaces."""
    text = _BESIDE_JAMO.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).lower()
    text = _KEEP.sub(" ", text)
    pattern, typos = _typo_pattern()
    text = pattern.sub(lambda m: typos[m.group(0)], text)
    text = text.replace("?", " ? ")
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """The text without spaces: how names are compared ("거실불" = "거실 불")."""
    return _SPACES.sub("", text)


def looks_english(text: str) -> bool:
    """True when the text has Latin letters and no Hangul."""
    return bool(_LATIN.search(text)) and not _HANGUL.search(text)
