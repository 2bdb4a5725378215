"""Korean text as it is read aloud: "23도" → "이십삼 도", "3시 30분" → "세 시 삼십 분", "2개" → "두 개",
"70%" → "칠십 퍼센트", "28을" → "이십팔을", "20~25도" → "이십 도에서 이십오 도", "2026-12-07" →
"이천이십육 년 십이월 칠 일", "22:00" → "밤 열 시", "㎍/㎥" → "마이크로그램 퍼 세제곱미터", "TV" → "티브이".
The words live in `data/reading_ko.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

_LATIN = re.compile(r"[A-Za-z][A-Za-z-]*")
_DATE = re.compile(r"(?<![\d.])(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?![\d.])")
_SHORT_DATE = re.compile(r"(?<![\d/.])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=\s*\()")  # "12/7(토)"
_TIME = re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])")
_PLAIN = r"\d[\d,]*(?:\.\d+)?"
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
    sino_counters: frozenset[str]
    month_word: str
    month_exceptions: dict[int, str]
    day_parts: dict[int, str]
    time_words: dict[str, str]
    range_word: str
    weekdays: tuple[str, ...]
    weekday_suffix: str
    decimal_point: str
    minus: str
    names: dict[str, str]
    letters: dict[str, str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> KoreanReading:
        return cls(
            tuple(data["sino_digits"]),
            tuple(data["sino_small_units"]),
            tuple(data["sino_large_units"]),
            tuple(data["native_ones"]),
            tuple(data["native_tens"]),
            str(data["native_twenty_before_ones"]),
            frozenset(data["native_counters"]),
            dict(data["units"]),
            frozenset(data["sino_counters"]),
            str(data["month_word"]),
            {int(k): str(v) for k, v in data["month_exceptions"].items()},
            {int(k): str(v) for k, v in data["day_parts"].items()},
            dict(data["time_words"]),
            str(data["range_word"]),
            tuple(data["weekdays"]),
            str(data["weekday_suffix"]),
            str(data["decimal_point"]),
            str(data["minus"]),
            dict(data["names"]),
            dict(data["letters"]),
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
    text = _DATE.sub(lambda match: _write_date(match, reading), text)
    text = _SHORT_DATE.sub(lambda match: _write_date(match, reading), text)
    text = _TIME.sub(lambda match: _write_time(match, reading), text)
    weekday = "|".join(map(re.escape, reading.weekdays))
    text = re.sub(rf"\s*\(({weekday})\)", lambda match: f" {match.group(1)}{reading.weekday_suffix}", text)
    text = _range_pattern(reading).sub(lambda match: _write_range(match, reading), text)
    text = _number_pattern(reading).sub(lambda match: _read_number(match, reading), text)
    for symbol in sorted(reading.units, key=len, reverse=True):
        if not symbol.isascii() or "/" in symbol:  # a symbol standing alone ("단위: ㎍/㎥")
            text = text.replace(symbol, reading.units[symbol])
    return _LATIN.sub(lambda match: _spell(match.group(0), reading), text)


def _unit_alternatives(reading: KoreanReading) -> str:
    return "|".join(re.escape(u) for u in sorted(reading.units, key=len, reverse=True))


def _number_pattern(reading: KoreanReading) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<minus>(?<![\w.])-)?(?P<int>\d[\d,]*)(?:\.(?P<frac>\d+))?\s*"
        rf"(?P<after>{_unit_alternatives(reading)}|°C?|[\uac00-\ud7a3]+|[A-Za-z]+)?"
    )


def _range_pattern(reading: KoreanReading) -> re.Pattern[str]:
    """ "20~25도", "3-4개", "-5~-2°C": two numbers joined by a tilde or a dash between digits."""
    return re.compile(
        rf"(?P<a>-?{_PLAIN})\s*(?:[~～〜]\s*|(?<=\d)[-–](?=\d))(?P<b>-?{_PLAIN})"
        rf"(?P<after>{_unit_alternatives(reading)}|°C?|[\uac00-\ud7a3]+)?"
    )


def _write_range(match: re.Match[str], reading: KoreanReading) -> str:
    """Each end with the counter: "20~25도로" → "20도에서 25도로" (the number pass reads them)."""
    after = match.group("after") or ""
    unit = _counter_in(after, reading) or ""
    return f"{match.group('a')}{unit}{reading.range_word} {match.group('b')}{after}"


def _counter_in(after: str, reading: KoreanReading) -> str | None:
    """The counter or unit `after` begins with ("도로" → "도"), if any."""
    known = (*reading.units, *reading.native_counters, *reading.sino_counters, "°C", "°")
    return next((c for c in sorted(known, key=len, reverse=True) if after.startswith(c)), None)


def _write_date(match: re.Match[str], reading: KoreanReading) -> str:
    words = reading.time_words
    month, day = int(match.group("m")), int(match.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    year = f"{int(match.group('y'))}{words['year']} " if "y" in match.groupdict() else ""
    return f"{year}{month}{reading.month_word} {day}{words['day']}"


def _write_time(match: re.Match[str], reading: KoreanReading) -> str:
    """ "22:00" → "밤 10시", "9:05" → "오전 9시 5분": the part of the day, then the 12-hour clock."""
    hour, minute = int(match.group("h")), int(match.group("m"))
    part = reading.day_parts[max(h for h in reading.day_parts if h <= hour)]
    said = f"{part} {(hour - 1) % 12 + 1}{reading.time_words['hour']}"
    return f"{said} {minute}{reading.time_words['minute']}" if minute else said


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
    if (
        after.startswith(reading.month_word)
        and not match.group("frac")
        and 1 <= whole <= 12
        and not after.startswith(reading.month_word + reading.weekday_suffix)
    ):
        month = reading.month_exceptions.get(whole, words + reading.month_word)
        return month + after[len(reading.month_word) :]
    if after and _counter_in(after, reading) is None and not after.isascii():
        return words + after  # a particle or a bound word: 이십팔을, 오십만, 일억
    return f"{words} {after}" if after else words


def _spell(word: str, reading: KoreanReading) -> str:
    """An all-capital word letter by letter (AI → 에이아이); other Latin words stay as they are."""
    if word.isupper():
        return "".join(reading.letters.get(letter, letter) for letter in word if letter.isalpha())
    return word
