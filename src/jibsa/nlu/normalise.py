"""Text as the parser reads it: one Unicode form, lower case, misspellings fixed, symbols dropped."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from jibsa.nlu.lexicon import load_lexicon

MAX_CHARS = 300  # a spoken request is never longer; the rest of a longer line is not read
_KEEP = re.compile(r"[^0-9a-z가-힣ㄱ-ㅎㅏ-ㅣ%:.?/'\-\s]")
_SPACES = re.compile(r"\s+")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[a-z]")


@cache
def _typo_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    typos = dict(load_lexicon().typos)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(typos, key=len, reverse=True)))
    return pattern, typos


def normalise(text: str) -> str:
    """NFC, lower case, typos fixed, everything but letters, digits and a few marks turned into spaces."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS].lower()
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
