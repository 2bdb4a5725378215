"""When a request is for: durations (3분 30초, 한 시간 반), delays (30분 뒤에), clock times (저녁 9시,
6시 반) and repetition (매일, 평일, 주말마다, 7시마다, 매주 월요일)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jibsa.nlu.numbers import NUMBER_PATTERN, parse_number

_N = NUMBER_PATTERN
_UNIT_SECONDS = {"시간": 3600, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "분": 60,
                 "minute": 60, "minutes": 60, "min": 60, "mins": 60, "초": 1, "second": 1, "seconds": 1,
                 "sec": 1, "secs": 1}  # fmt: skip
# "an hour", "half an hour", "a minute": English amounts said in words.
_EN_AMOUNTS = {"a": 1.0, "an": 1.0, "one": 1.0, "half a": 0.5, "half an": 0.5}
_AMOUNT = rf"(?:{_N}|\b(?:half\s+an?|an?|one)(?=\s+(?:hours?|minutes?|seconds?)\b))"
_DURATION_PART = re.compile(rf"({_AMOUNT})\s*(시간|분|초|hours?|hrs?|minutes?|mins?|seconds?|secs?)(\s*반)?")
_DURATION = rf"(?:(?:{_AMOUNT})\s*(?:시간|분|초|hours?|hrs?|minutes?|mins?|seconds?|secs?)(?:\s*반)?\s*)+"
_DELAY = re.compile(
    rf"(?:in\s+)?(?P<dur>{_DURATION})\s*(?:뒤|후|있다가|이따가?|지나서|later|from now)(?:에|엔|에는)?"
    rf"|in\s+(?P<dur2>{_DURATION})"
)
_PERIOD_PM = {"오후", "저녁", "밤", "낮", "점심", "pm", "p.m."}
_CLOCK = re.compile(
    rf"(?:(?P<period>오전|오후|아침|저녁|밤|새벽|낮|점심)\s*)?(?P<hour>\d{{1,2}}|(?<![가-힣])(?:{_N}))\s*시(?!\s*(?:간|정지|중지|작|켜|키|청))"
    rf"\s*(?:(?P<half>반)|(?P<minute>{_N})\s*분)?(?:에|에는|까지|쯤)?"
    r"|(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)\s*(?P<ampm>am|pm)?"
    rf"|at\s+(?P<h3>\d{{1,2}})\s*(?P<ampm3>am|pm|a\.m\.|p\.m\.|o'clock)?"
)
_DAY_WORDS = {
    "월": "mon",
    "화": "tue",
    "수": "wed",
    "목": "thu",
    "금": "fri",
    "토": "sat",
    "일": "sun",
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
_WEEKLY = re.compile(
    r"매주\s*([월화수목금토일])요일(?:마다)?|([월화수목금토일])요일마다"
    r"|every\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_EVERY = re.compile(r"\s*마다(?:에|는)?|\s*every\s*day")
_REPEATS = (
    (re.compile(r"평일|주중|weekdays?|every weekday"), "weekdays"),
    (re.compile(r"주말|weekends?|every weekend"), "weekends"),
    (re.compile(r"매일|날마다|하루도 빠짐없이|every day|everyday|daily|each day|매일매일"), "daily"),
)


@dataclass(frozen=True, slots=True)
class Timing:
    """Timing found in a sentence, and the spans of text it used (so they are not read as values)."""

    params: dict[str, Any] = field(default_factory=dict)
    spans: tuple[tuple[int, int], ...] = ()


def parse_duration(text: str) -> int | None:
    """Seconds in '3분 30초', '한 시간 반', '90 seconds'; None when no duration is said."""
    total, found = 0.0, False
    for match in _DURATION_PART.finditer(text):
        said = " ".join(match.group(1).split())
        number = _EN_AMOUNTS[said] if said in _EN_AMOUNTS else parse_number(said)
        if number is None:
            continue
        unit = _UNIT_SECONDS[match.group(2)]
        total += number * unit + (unit / 2 if match.group(3) else 0)
        found = True
    return round(total) if found else None


def find_timing(text: str) -> Timing:
    """The delay, clock time and repetition said in `text` (already normalised)."""
    params: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    delay = _DELAY.search(text)
    if delay:
        seconds = parse_duration(delay.group("dur") or delay.group("dur2") or "")
        if seconds:
            params["delay_s"] = seconds
            spans.append(delay.span())
    for match in _CLOCK.finditer(text):
        at = _clock_value(match)
        if at is not None and not _inside(match.span(), spans):
            params["at"] = at
            spans.append(match.span())
            break
    weekly = _WEEKLY.search(text)
    for pattern, repeat in ((_WEEKLY, None), *_REPEATS):
        found = pattern.search(text)
        if found:
            spans.append(found.span())
            if "at" in params:
                params["repeat"] = repeat or _weekday(weekly)
            break
    every = _EVERY.match(text, spans[-1][1]) if "at" in params and "repeat" not in params else None
    if every is not None:  # "저녁 7시마다": every day at that time
        params["repeat"] = "daily"
        spans[-1] = (spans[-1][0], every.end())
    return Timing(params, tuple(spans))


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] < b for a, b in spans)


def _clock_value(match: re.Match[str]) -> str | None:
    if match.group("h2") is not None:
        hour, minute = int(match.group("h2")), int(match.group("m2"))
        return _hhmm(hour + (12 if match.group("ampm") == "pm" and hour < 12 else 0), minute)
    if match.group("h3") is not None:
        hour = int(match.group("h3"))
        pm = (match.group("ampm3") or "").startswith("p")
        return _hhmm(hour + (12 if pm and hour < 12 else 0), 0)
    hour_value = parse_number(match.group("hour"))
    if hour_value is None or not hour_value.is_integer():
        return None
    hour = int(hour_value)
    minute = 30 if match.group("half") else int(parse_number(match.group("minute") or "0") or 0)
    period = match.group("period")
    if period in _PERIOD_PM and hour < 12 and not (period == "낮" and hour >= 11):
        hour += 12
    if period == "밤" and hour == 12:
        hour = 0
    if period in ("새벽", "오전", "아침") and hour == 12:
        hour = 0
    return _hhmm(hour, minute)


def _hhmm(hour: int, minute: int) -> str | None:
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour % 24:02d}:{minute:02d}"


def _weekday(found: re.Match[str] | None) -> str | None:
    """ "매주 월요일", "수요일마다", "every friday" -> mon, wed, fri (a weekly repeat)."""
    said = next((g for g in found.groups() if g), None) if found else None
    return _DAY_WORDS.get(said or "")
