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
_ENGLISH_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                 "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_ENGLISH_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                 "ninety": 90}  # fmt: skip

_NATIVE_TENS_RE = "|".join(sorted(_NATIVE_TENS, key=len, reverse=True))
_NATIVE_ONES_RE = "|".join(sorted(_NATIVE_ONES, key=len, reverse=True))
_EN_ONES_RE = "|".join(sorted(_ENGLISH_ONES, key=len, reverse=True))
_EN_DIGIT_RE = "|".join(w for w, v in sorted(_ENGLISH_ONES.items(), key=lambda kv: -len(kv[0])) if v < 10)
_EN_TENS_RE = "|".join(_ENGLISH_TENS)
# "twenty three", "twenty-three point five", "nineteen": whole English words only.
_ENGLISH_PATTERN = (
    rf"(?<![a-z])(?:(?:{_EN_TENS_RE})(?:[ -](?:{_EN_DIGIT_RE}))?|{_EN_ONES_RE})"
    rf"(?: point(?: (?:{_EN_DIGIT_RE}))+)?(?![a-z])"
)
# One number, in any of the three ways of saying it. Longest alternatives first. Runs are bounded (no
# number people say is longer) so that a line of 2,000 "이" is not read in quadratic time.
NUMBER_PATTERN = (
    r"(?:\d{1,12}(?:\.\d{1,6})?"
    rf"|(?:{_NATIVE_TENS_RE})(?: ?(?:{_NATIVE_ONES_RE}))?"
    rf"|(?:{_NATIVE_ONES_RE})"
    r"|[영공일이삼사오육륙칠팔구십백천]{0,8}[십백천] ?[일이삼사오육륙칠팔구]"
    r"|[영공일이삼사오육륙칠팔구십백천]{1,9}"
    rf"|{_ENGLISH_PATTERN})"
)


def parse_number(word: str) -> float | None:
    """The value of one number word ('25', '이십오', '스물다섯', 'twenty'), or None."""
    if word[:1].isascii() and word[:1].isalpha():
        return _parse_english(word)
    word = word.replace(" ", "")
    if not word:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    native = _parse_native(word)
    if native is not None:
        return float(native)
    sino = _parse_sino(word)
    return float(sino) if sino is not None else None


def _parse_english(word: str) -> float | None:
    """ "twenty three" -> 23, "twenty-three point five" -> 23.5, "nine" -> 9."""
    whole, _, fraction = word.partition(" point ")
    parts = whole.replace("-", " ").split()
    if not parts or len(parts) > 2:
        return None
    if len(parts) == 2:
        if parts[0] not in _ENGLISH_TENS or _ENGLISH_ONES.get(parts[1], 10) >= 10:
            return None
        value = float(_ENGLISH_TENS[parts[0]] + _ENGLISH_ONES[parts[1]])
    elif parts[0] in _ENGLISH_TENS or parts[0] in _ENGLISH_ONES:
        value = float(_ENGLISH_TENS.get(parts[0], _ENGLISH_ONES.get(parts[0], 0)))
    else:
        return None
    digits = [_ENGLISH_ONES.get(w) for w in fraction.split()]
    if any(d is None or d >= 10 for d in digits):
        return None
    return float(f"{int(value)}.{''.join(str(d) for d in digits)}") if digits else value


def _parse_native(word: str) -> int | None:
    for tens_word, tens in sorted(_NATIVE_TENS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(tens_word):
            rest = word[len(tens_word) :]
            if not rest:
                return tens
            return tens + _NATIVE_ONES[rest] if rest in _NATIVE_ONES else None
    return _NATIVE_ONES.get(word)


def is_native(word: str) -> bool:
    """Whether `word` is a native Korean number ('한', '두', '스물다섯'): the numbers that count ("한 번": once),
    where digits and Sino-Korean ones name ("일 번", "1번": number one)."""
    return _parse_native(word.replace(" ", "")) is not None


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
