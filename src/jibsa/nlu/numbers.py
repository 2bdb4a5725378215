"""Numbers as people say them: digits, Sino-Korean (이십삼) and native Korean (스물다섯), English words."""

from __future__ import annotations

import re

_SINO_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8,
                "구": 9}  # fmt: skip
_SINO_UNITS = {"십": 10, "백": 100, "천": 1000}
_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70, "여든": 80,
                "아흔": 90}  # fmt: skip
_NATIVE_ONES = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4, "다섯": 5,
                "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}  # fmt: skip
_ENGLISH = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
            "forty": 40, "fifty": 50, "sixty": 60, "a": 1, "an": 1, "half": 0.5}  # fmt: skip

_NATIVE_TENS_RE = "|".join(sorted(_NATIVE_TENS, key=len, reverse=True))
_NATIVE_ONES_RE = "|".join(sorted(_NATIVE_ONES, key=len, reverse=True))
# One number, in any of the three ways of saying it. Longest alternatives first.
NUMBER_PATTERN = (
    r"(?:\d+(?:\.\d+)?"
    rf"|(?:{_NATIVE_TENS_RE})(?: ?(?:{_NATIVE_ONES_RE}))?"
    rf"|(?:{_NATIVE_ONES_RE})"
    r"|[영공일이삼사오육륙칠팔구십백천]*[십백천] ?[일이삼사오육륙칠팔구]"
    r"|[영공일이삼사오육륙칠팔구십백천]+"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty)"
)
NUMBER_RE = re.compile(NUMBER_PATTERN)


def parse_number(word: str) -> float | None:
    """The value of one number word ('25', '이십오', '스물다섯', 'twenty'), or None."""
    word = word.replace(" ", "")
    if not word:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word in _ENGLISH:
        return float(_ENGLISH[word])
    native = _parse_native(word)
    if native is not None:
        return float(native)
    sino = _parse_sino(word)
    return float(sino) if sino is not None else None


def _parse_native(word: str) -> int | None:
    for tens_word, tens in sorted(_NATIVE_TENS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(tens_word):
            rest = word[len(tens_word):]
            if not rest:
                return tens
            return tens + _NATIVE_ONES[rest] if rest in _NATIVE_ONES else None
    return _NATIVE_ONES.get(word)


def _parse_sino(word: str) -> int | None:
    total, digit = 0, None
    for ch in word:
        if ch in _SINO_DIGITS:
            if digit is not None:  # two digits in a row: read them as written ("이오" is not a number)
                return None
            digit = _SINO_DIGITS[ch]
        elif ch in _SINO_UNITS:
            total += (digit if digit is not None else 1) * _SINO_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def as_int_if_whole(value: float) -> int | float:
    """24.0 -> 24; 24.5 stays."""
    return int(value) if float(value).is_integer() else value
