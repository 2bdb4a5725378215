"""The language a gateway's client reads: Korean, jibsa's default, unless its `Accept-Language` prefers
English (`en`, `en-US`, …) to Korean. Only the two languages of the words catalogue are told apart."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT = "ko"
_KNOWN = frozenset({"ko", "en"})


def client_language(headers: Mapping[str, str]) -> str:
    """`ko` or `en`, the one of them `Accept-Language` gives the highest weight (the first of equals)."""
    best, weight = DEFAULT, 0.0
    for part in headers.get("accept-language", "")[:500].split(","):
        tag, _, parameters = part.strip().partition(";")
        language = tag.strip().split("-")[0].lower()
        if language not in _KNOWN:
            continue
        quality = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if quality > weight:
            best, weight = language, quality
    return best
