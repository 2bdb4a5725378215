"""Korean morphology (kiwipiepy) as a fallback: the verb stems of a request the word lists missed.

Measured on this machine: building Kiwi takes about 1.4 s and its first analysis another 1.6 s, then
0.2-0.7 ms a sentence. The word lists answer in about 0.1 ms, so Kiwi is off by default and, when
asked for (`Parser(..., morphology=True)`), runs only for a request that names a device but no verb
the lists know.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_VERB_TAGS = ("VV", "VA", "XSV")


@cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def verb_stems(text: str) -> list[str]:
    """The verb and adjective stems Kiwi finds in `text` ("불 꺼뜨려 줘" -> ["끄", "뜨리", "주"])."""
    return [token.form for token in _kiwi().tokenize(text[:200]) if str(token.tag).startswith(_VERB_TAGS)]
