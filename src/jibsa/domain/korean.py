"""Korean around a word, as pure functions of text: the particle chosen by how the word before it is read
(거실 조명을 / 에어컨을 / TV를 / 'aircon'은, read 에어컨), durations, times of day and numbers as Korean
writes them. The one module for this: the words catalogue (`{name|을}`) and the understanding both use it.

The Korean itself (the particles' forms, units, parts of the day) is data: domain/korean.yaml, and the
readings of Latin words in domain/readings.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

# 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구: which end in a consonant, and which in ㄹ.
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True,
                "8": True, "9": False}  # fmt: skip
_DIGIT_RIEUL = {"1", "7", "8"}
# Latin letters said by name (TV, LED, PC): 엘, 알 end in ㄹ; 엠, 엔 in another consonant; the rest in a vowel.
_LETTER_NAME_FINAL = {"l": (True, True), "r": (True, True), "m": (True, False), "n": (True, False)}
_VOWELS = set("aeiou")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _data(name: str) -> Any:
    return yaml.load(resources.files("jibsa.domain").joinpath(name).read_text(encoding="utf-8"), Loader=_LOADER)


@cache
def _korean() -> Mapping[str, Any]:
    data: Mapping[str, Any] = _data("korean.yaml")
    return data


@cache
def _pairs() -> Mapping[str, tuple[str, str]]:
    """Each form of a particle -> (after a final consonant, after a vowel)."""
    pairs = [(str(a), str(b)) for a, b in _korean()["particles"]]
    return {form: pair for pair in pairs for form in pair}


@cache
def _readings() -> dict[str, str]:
    """Latin words as Korean reads them (readings.yaml): 'aircon' -> '에어컨'."""
    data: dict[str, str] = _data("readings.yaml")
    return {str(word).lower(): str(reading) for word, reading in data.items()}


def _hangul_final(ch: str) -> tuple[bool, bool]:
    jong = (ord(ch) - 0xAC00) % 28
    return jong != 0, jong == 8


def _latin_final(word: str) -> tuple[bool, bool]:
    """How a Latin word not in readings.yaml ends when read: by its spelling's last sounds."""
    reading = _readings().get(word.lower())
    if reading:
        return _hangul_final(reading[-1])
    if word.isupper() and len(word) <= 5:  # said letter by letter: TV (티비), LED (엘이디), PC (피시)
        return _LETTER_NAME_FINAL.get(word[-1].lower(), (False, False))
    low = word.lower()
    last, before = low[-1], low[-2:-1]
    if low.endswith("ng") or last in "mn":
        return True, False  # Samsung 삼성, Zoom 줌, aircon 에어컨
    if last == "l":
        return True, True  # Nobel 노벨
    if last == "e" and before in ("m", "n"):
        return True, False  # home 홈, phone 폰
    if last == "e" and before == "l":
        return True, True  # table 테이블
    short_vowel = before in _VOWELS and (len(low) < 3 or low[-3] not in _VOWELS)
    if last in "bkpt" and short_vowel:
        return True, False  # web 웹, top 탑, robot 로봇: one short vowel before (heat 히트, desk 데스크: not)
    if last == "c" and before in _VOWELS:
        return True, False  # mac 맥
    return False, False


def _final(word: str) -> tuple[bool, bool]:
    """(ends with a final consonant, that consonant is ㄹ) for the last sound of `word` as it is read."""
    word = word.rstrip(" )]}'\".")
    if not word:
        return False, False
    ch = word[-1]
    if 0 <= ord(ch) - 0xAC00 < 11172:
        return _hangul_final(ch)
    if ch.isdigit():
        if word.endswith("10"):
            return True, False  # 십
        if word.endswith("00"):
            return True, False  # 백, 천: both end in a consonant
        return _DIGIT_FINAL[ch], ch in _DIGIT_RIEUL
    if ch in "%°" or word.endswith("°C"):
        return False, False  # 퍼센트, 도
    latin = re.search(r"[A-Za-z]+$", word)
    if latin:
        return _latin_final(latin.group())
    return False, False


def josa(word: str, particle: str) -> str:
    """`word` followed by the right form of `particle`: josa("TV", "을") -> "TV를"."""
    towards = _korean()["towards"]
    if particle in towards:
        final, rieul = _final(word)
        return word + str(towards[0] if final and not rieul else towards[1])
    pair = _pairs().get(particle)
    if pair is None:
        return word + particle
    final, _ = _final(word)
    return word + (pair[0] if final else pair[1])


def join_names(names: list[str], particle: str | None = None) -> str:
    """ "거실 천장등과 거실 스탠드", "안방 조명, 보일러와 거실 TV": names as Korean lists them, the last two joined
    with 과/와 (or `particle`), any before them by commas ("A와 B와 C와 D" reads as a stammer)."""
    if not names:
        return ""
    particle = particle or str(_korean()["join"])
    if len(names) == 1:
        return names[0]
    return ", ".join([*names[:-2], josa(names[-2], particle) + " " + names[-1]])


def number_text(value: float) -> str:
    """24.0 -> '24', 24.5 -> '24.5' (as both languages write them)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def duration_text(seconds: float) -> str:
    """5400 -> '1시간 30분', 90 -> '1분 30초'."""
    units = _korean()["units"]
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{units[unit]}" for n, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if n]
    return " ".join(parts) or f"0{units['second']}"


def about_text(seconds: float) -> str:
    """How long is left, as people say it: to the second under a minute, else to the nearest minute with
    쯤 when rounded (5374 -> '1시간 30분쯤', 600 -> '10분', 42 -> '42초')."""
    if seconds < 60:
        return duration_text(seconds)
    minutes = round(seconds / 60)
    said = duration_text(minutes * 60)
    return said if abs(minutes * 60 - seconds) < 1 else f"{said}{_korean()['units']['about']}"


def clock_text(at: str) -> str:
    """'21:00' -> '저녁 9시', '06:30' -> '오전 6시 30분'."""
    units = _korean()["units"]
    hour, _, minute = at.partition(":")
    h, m = int(hour), int(minute or 0)
    period = next(str(name) for limit, name in _korean()["periods"] if h < limit)
    shown = h if h <= 12 else h - 12
    shown = 12 if shown == 0 else shown
    return f"{period} {shown}{units['o_clock']}" + (f" {m}{units['minute']}" if m else "")


_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|([^}]+))?\}")


def fill(template: str, fields: Mapping[str, Any], language: str) -> str:
    """`template` with `{name}` and `{name|을}` filled from `fields`: in Korean the particle after `name`
    fits how it is read; in another language `{name|을}` is the name alone. For the sentence tables of the
    layers that may not use the words catalogue (adapters, voice)."""

    def filled(match: re.Match[str]) -> str:
        name, particle = match.groups()
        value = str(fields[name])
        return josa(value, particle) if particle and language == "ko" else value

    return _PLACEHOLDER.sub(filled, template)
