"""Pairing codes as people give them: the 11-digit manual code (often written 3497-011-2332), the
21-digit long form, or the QR code's text (MT:…). Checked here only so a mistyped code gets an answer
at once; the controller decodes it."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.]")
_QR = re.compile(r"MT:[0-9A-Z.\-]{19,}")

# Verhoeff's check digit, which the manual pairing code ends with (Matter core spec 5.1.4.1).
_MULTIPLY = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]  # fmt: skip
_PERMUTE = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]  # fmt: skip


def _verhoeff_valid(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return check == 0


def pairing_code(text: str) -> str | None:
    """The code in the form the controller takes (digits only, or MT:…), or None when `text` is not a
    well-formed pairing code."""
    said = text.strip()
    if _QR.fullmatch(said.upper()):
        return said.upper()
    digits = _SEPARATORS.sub("", said)
    if digits.isascii() and digits.isdigit() and len(digits) in (11, 21) and _verhoeff_valid(digits):
        return digits
    return None
