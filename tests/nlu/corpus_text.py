"""Putting the corpus's words into sentences: placeholders with the right particle after them ("{kind:을}":
불을, 티비를), one slip in a word (typos), and what a speech recogniser does to a sentence."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w+?)(?::(\w+))?\}")
# particle after a final consonant, after none (으로 takes 로 after ㄹ too)
_PARTICLES = {
    "을": ("을", "를"),
    "이": ("이", "가"),
    "은": ("은", "는"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
    "이랑": ("이랑", "랑"),
    "이요": ("이요", "요"),
}
_RIEUL = 8  # the final-consonant index of ㄹ in a Hangul syllable
# the sound that ends a number read in Sino-Korean: 1 일, 3 삼, 6 육, 7 칠, 8 팔 close on a consonant
_DIGIT_FINAL = {"0": "ㅂ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}


def _final(word: str) -> str:
    """The consonant a word ends on when read aloud ('' for a vowel, 'ㄹ' for ㄹ, 'x' for any other)."""
    last = word.rstrip(" ?.!")[-1:] or " "
    if "가" <= last <= "힣":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else "ㄹ" if index == _RIEUL else "x"
    if last.isdigit():
        return {"ㄹ": "ㄹ", "": ""}.get(_DIGIT_FINAL.get(last, ""), "x")
    return {"ㄹ": "ㄹ", "": ""}.get(_LETTER_FINAL.get(last.lower(), ""), "x")


def particle(word: str, which: str) -> str:
    after_consonant, after_vowel = _PARTICLES[which]
    final = _final(word)
    if which == "으로" and final == "ㄹ":
        return after_vowel
    return after_vowel if final == "" else after_consonant


def fill(pattern: str, fields: Mapping[str, str]) -> str:
    """`pattern` with each {name} (or {name:particle}) replaced; spaces collapsed, and a 좀 of the pattern
    followed by the 좀 of a verb form ("{name} 좀 {verb}" with "좀 꺼 줘") said once, and no comma or period
    after a question mark ("켜 줄래?, 그리고" is "켜 줄래? 그리고")."""

    def one(match: re.Match[str]) -> str:
        word = fields[match.group(1)]
        return word + particle(word, match.group(2)) if match.group(2) else word

    words = _PLACEHOLDER.sub(one, pattern).split()
    text = " ".join(w for i, w in enumerate(words) if not (w == "좀" and i > 0 and words[i - 1] == "좀"))
    return text.replace("?,", "?").replace("?.", "?")


def with_typo(fields: Mapping[str, str], typos: Mapping[str, list[str]], rng: random.Random) -> dict[str, str] | None:
    """The fields with one slip in the room, kind or verb (phrases.yaml `typos`), or None when none has one."""
    slips = [
        (name, typo)
        for name in ("room", "kind", "name", "verb")
        if fields.get(name) in typos
        for typo in typos[fields[name]]
    ]
    if not slips:
        return None
    name, typo = rng.choice(slips)
    return {**fields, name: typo}


def transform(text: str, template: Mapping[str, Any], phrases: Mapping[str, Any], rng: random.Random) -> str:
    """One of the template's `transform`s that changes `text` (tried in a random order); '' if none does."""
    names = list(template.get("transform", []))
    if not names:
        return text
    rng.shuffle(names)
    table = phrases["recogniser"]
    for name in names:
        changed = _TRANSFORMS[name](text, table, rng)
        if changed != text:
            return changed
    return ""


def _period(text: str, _: Mapping[str, Any], __: random.Random) -> str:
    return text.rstrip("?.!") + "."


def _no_question(text: str, _: Mapping[str, Any], __: random.Random) -> str:
    return text.rstrip("?")


def _join(text: str, _: Mapping[str, Any], __: random.Random) -> str:
    return text.replace(" ", "")


def _split(text: str, table: Mapping[str, Any], rng: random.Random) -> str:
    found = [w for w in table["split"] if w in text]
    if not found:
        return text
    word = rng.choice(found)
    return text.replace(word, table["split"][word], 1)


def _floor(text: str, table: Mapping[str, Any], _: random.Random) -> str:
    return re.sub(r"(\d)층", lambda m: table["floors"].get(m.group(0), m.group(0)), text)


def _filler(text: str, table: Mapping[str, Any], rng: random.Random) -> str:
    return f"{rng.choice(table['fillers'])} {text}"


_TRANSFORMS = {
    "period": _period,
    "no_question": _no_question,
    "join": _join,
    "split": _split,
    "floor": _floor,
    "filler": _filler,
}
