"""What a request says about a value: the property, the number or word, a direction, an extreme."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jibsa.domain import Command, Device, DeviceType, ValueKind
from jibsa.nlu.clause import Clause
from jibsa.nlu.lexicon import Lexicon
from jibsa.nlu.numbers import as_int_if_whole
from jibsa.nlu.scanner import Token

_CYCLE_WORDS = ("코스", "course", "cycle")
_FAN_STEPS = {1: "low", 2: "mid", 3: "high"}
_NEGATIVE = re.compile(r"영하|마이너스|minus")


@dataclass
class Setting:
    """The property, value and direction a request says, before its devices are known."""

    prop: str | None = None
    value: Any = None
    direction: str | None = None
    amount: float | None = None
    extreme: str | None = None
    unit: str = ""
    said: bool = False


def read_setting(clause: Clause, lex: Lexicon) -> Setting:
    s = Setting()
    props = [p for p in clause.tagged("prop") if p not in ("remaining_time", "run_state")]
    s.prop = props[0] if props else None
    named = bool(clause.devices or clause.specs)  # with a device named, "외출 모드" is its mode, not the scene
    values = [
        v
        for t in clause.tokens
        if (named or not t.has("scene")) and not _names_cycle(clause, t)
        for v in t.values("value")
    ]
    if values:
        value_prop, s.value = values[0]
        s.prop = s.prop if s.prop in ("fan_speed", "mode") else value_prop
    extremes = clause.tagged("extreme")
    s.extreme = extremes[0] if extremes else None
    direction_props = lex.section("direction_props")
    for name, token in clause.verbs:
        if name in ("up", "down"):
            s.direction = name
            s.prop = s.prop or direction_props.get(token.text.replace(" ", ""))
    _extreme(clause, s)
    # A number is a value only when said with a unit, a "to" or a property word ("0" beside "보라색" is not).
    numbers = [n for n in clause.numbers if n[1] not in ("분", "초", "시간") and (n[1] or n[2] or props)]
    if numbers:
        value, unit, to = numbers[0]
        if value > 0 and (_NEGATIVE.search(clause.text) or s.prop == "freezer_temperature"):
            value = -value
        s.unit = unit
        if s.direction and to not in ("로", "으로", "까지", "to"):
            s.amount = value
        else:
            s.value = as_int_if_whole(value)
        if unit == "도" and s.prop is None:
            s.prop = "temperature"
        if unit == "번" and s.prop is None:
            s.prop = "channel"  # "9번 틀어줘": a channel
    _comparison(clause, s, lex, said_number=bool(numbers))
    _freezer(clause, lex, s)
    s.said = s.value is not None or s.extreme is not None or s.direction is not None or s.prop is not None
    return s


def _comparison(clause: Clause, s: Setting, lex: Lexicon, *, said_number: bool) -> None:
    """ "더 약하게", "좀 약하게": weaker than now, not the setting named 약 that the same word names."""
    if not s.direction or said_number or s.value is None:
        return
    if clause.has("more") or _a_little_before_direction(clause, lex):
        s.value = None


def _a_little_before_direction(clause: Clause, lex: Lexicon) -> bool:
    """ "좀 약하게", "살짝 세게", "a bit lower": a word of a little right before the word that moves."""
    little = lex.words("a_little_words")
    for name, token in clause.verbs:
        if name not in ("up", "down"):
            continue
        before = clause.sentence[clause.offset : token.start].split()
        if any(before[-len(w.split()) :] == w.split() for w in little if len(before) >= len(w.split())):
            return True
    return False


def _extreme(clause: Clause, s: Setting) -> None:
    """ "제일 밝게": brightness, when nothing else is named; "끝까지 내려": all the way down."""
    for token in clause.tokens:
        if token.has("extreme") and s.prop is None and "밝" in token.text:
            s.prop = "brightness"
    if s.extreme == "max" and s.direction == "down":
        s.extreme = "min"


def _freezer(clause: Clause, lex: Lexicon, s: Setting) -> None:
    """ "냉동실 영하 18도로": a temperature said with the freezer's name is the freezer's, below zero."""
    if s.prop not in (None, "temperature") or not any(w in clause.text for w in lex.words("freezer_words")):
        return
    if s.unit == "도" or s.prop == "temperature":
        s.prop = "freezer_temperature"
        if isinstance(s.value, (int, float)) and s.value > 0:
            s.value = -s.value


def _names_cycle(clause: Clause, token: Token) -> bool:
    """ "쾌속 코스로 돌려줘": a word before 코스 names the cycle to run, not a mode to set."""
    return clause.sentence[token.end :].lstrip().startswith(_CYCLE_WORDS)


def settable(device: Device, prop: str | None) -> bool:
    """True when `device` has `prop` and it can be changed."""
    spec = device.property_spec(prop) if prop else None
    return spec is not None and spec.writable


def set_commands(devices: Sequence[Device], s: Setting) -> list[Command]:
    prop = s.prop or default_prop(devices, s.unit)
    if prop is None or not devices:
        return []
    value = s.value
    if s.extreme is not None:
        value = _extreme_value(devices, prop, s.extreme)
    if prop == "fan_speed" and isinstance(value, (int, float)):
        value = _FAN_STEPS.get(int(value), "high" if value > 3 else "low")
    takers = [d for d in devices if _takes(d, prop, value)]
    if value is None or not takers:
        return []
    return [Command("set", tuple(d.id for d in takers), {"property": prop, "value": value})]


def _takes(device: Device, prop: str, value: Any) -> bool:
    """A number for a number, a word for a choice ("색 0으로" is not a colour)."""
    spec = device.property_spec(prop)
    if spec is None or spec.kind is ValueKind.TEXT:
        return spec is not None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {
        ValueKind.NUMBER: numeric,
        ValueKind.CHOICE: isinstance(value, str),
        ValueKind.BOOL: isinstance(value, bool),
    }[spec.kind]


def default_prop(devices: Sequence[Device], unit: str) -> str | None:
    if unit == "도":
        return "temperature"
    for device in devices:
        if device.type is DeviceType.LIGHT:
            return "brightness"
    for device in devices:
        if device.spec.default_property:
            return device.spec.default_property
    return "brightness" if devices else None


def _extreme_value(devices: Sequence[Device], prop: str, extreme: str) -> Any:
    spec = next((d.property_spec(prop) for d in devices if d.property_spec(prop) is not None), None)
    if prop == "fan_speed":
        return {"max": "high", "min": "low", "half": "mid"}[extreme]
    if extreme == "half":
        return 50
    if spec is not None and spec.minimum is not None and spec.maximum is not None:
        return as_int_if_whole(spec.maximum if extreme == "max" else spec.minimum)
    return 100 if extreme == "max" else 1
