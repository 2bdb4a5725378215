"""Korean text as it is read aloud: "23도" → "이십삼 도", "3시 30분" → "세 시 삼십 분", "2개" → "두 개",
"70%" → "칠십 퍼센트", "TV" → "티브이". The words live in `data/reading_ko.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

_NUMBER = re.compile(r"(?P<minus>-)?(?P<int>\d[\d,]*)(?:\.(?P<frac>\d+))?\s*(?P<after>[%°℃]C?|[가-힣]+|[A-Za-z]+)?")
_LATIN = re.compile(r"[A-Za-z][A-Za-z-]*")
_NATIVE_LIMIT = 99


@dataclass(frozen=True)
class KoreanReading:
    """The word lists of one reading (loaded from YAML)."""

    sino_digits: tuple[str, ...]
    sino_small_units: tuple[str, ...]
    sino_large_units: tuple[str, ...]
    native_ones: tuple[str, ...]
    native_tens: tuple[str, ...]
    native_twenty_before_ones: str
    native_counters: frozenset[str]
    units: dict[str, str]
    decimal_point: str
    minus: str
    names: dict[str, str]
    letters: dict[str, str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> KoreanReading:
        return cls(
            tuple(data["sino_digits"]), tuple(data["sino_small_units"]), tuple(data["sino_large_units"]),
            tuple(data["native_ones"]), tuple(data["native_tens"]), str(data["native_twenty_before_ones"]),
            frozenset(data["native_counters"]), dict(data["units"]), str(data["decimal_point"]),
            str(data["minus"]), dict(data["names"]), dict(data["letters"]),
        )


@cache
def korean_reading() -> KoreanReading:
    text = files("jibsa.voice.data").joinpath("reading_ko.yaml").read_text(encoding="utf-8")
    return KoreanReading.from_data(yaml.safe_load(text))


def read_aloud(text: str, reading: KoreanReading | None = None) -> str:
    """`text` with its numbers, units and Latin names written as they are spoken in Korean."""
    reading = reading or korean_reading()
    for name in sorted(reading.names, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", reading.names[name], text)
    text = _NUMBER.sub(lambda match: _read_number(match, reading), text)
    return _LATIN.sub(lambda match: _spell(match.group(0), reading), text)


def sino_korean(number: int, reading: KoreanReading | None = None) -> str:
    """A whole number in Sino-Korean: 23 → 이십삼, 10000 → 만, 0 → 영."""
    reading = reading or korean_reading()
    if number == 0:
        return reading.sino_digits[0]
    if number >= 10_000 ** len(reading.sino_large_units):  # beyond 조: digit by digit, as people read codes
        return " ".join(reading.sino_digits[int(digit)] for digit in str(number))
    groups: list[str] = []
    for index in range(len(reading.sino_large_units)):
        group = number // 10_000**index % 10_000
        if group:
            words = _sino_group(group, reading)
            large = reading.sino_large_units[index]
            if large and group == 1 and index == 1:
                words = ""  # 만, not 일만
            groups.append(words + large)
    return " ".join(reversed(groups))


def native_korean(number: int, reading: KoreanReading | None = None) -> str:
    """A number from 1 to 99 as it stands before a counter: 2 → 두, 21 → 스물한, 20 → 스무."""
    reading = reading or korean_reading()
    tens, ones = divmod(number, 10)
    ten_word = reading.native_tens[tens]
    if tens == 2 and ones:
        ten_word = reading.native_twenty_before_ones
    return ten_word + reading.native_ones[ones]


def _sino_group(group: int, reading: KoreanReading) -> str:
    words = []
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit:
            prefix = "" if digit == 1 and place else reading.sino_digits[digit]
            words.append(prefix + reading.sino_small_units[place])
    return "".join(words)


def _read_number(match: re.Match[str], reading: KoreanReading) -> str:
    whole = int(match.group("int").replace(",", ""))
    after = match.group("after") or ""
    counter = next((c for c in sorted(reading.native_counters, key=len, reverse=True) if after.startswith(c)), None)
    if counter and not match.group("frac") and 0 < whole <= _NATIVE_LIMIT:
        words = native_korean(whole, reading)
    else:
        words = sino_korean(whole, reading)
        if match.group("frac"):
            digits = " ".join(reading.sino_digits[int(d)] for d in match.group("frac"))
            words = f"{words} {reading.decimal_point} {digits}"
    if match.group("minus"):
        words = f"{reading.minus} {words}"
    unit = reading.units.get(after)
    if unit is not None:
        return f"{words} {unit}"
    return f"{words} {after}" if after else words


def _spell(word: str, reading: KoreanReading) -> str:
    """An all-capital word letter by letter (AI → 에이아이); other Latin words stay as they are."""
    if word.isupper():
        return "".join(reading.letters.get(letter, letter) for letter in word if letter.isalpha())
    return word
