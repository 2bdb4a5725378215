"""The catalogue: words/ko.yaml and words/en.yaml, one per language, the same keys in each.

A sentence's placeholders are `{field}`, or `{field|how}` where `how` is a Korean particle (`{name|을}`:
the name with 을 or 를 by how it is read) or one of `number`, `duration`, `clock`, `date` (ISO), `list`. A field whose
value is a mapping by language ({"ko": ..., "en": ...}) gives each language its own; one that is a
`Said`'s JSON ({"key": ..., "fields": ...}) is worded itself ("the SmartThings account").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import korean
from jibsa.domain.korean import number_text
from jibsa.domain.said import Said
from jibsa.words import english

LANGUAGES = ("ko", "en")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when built with it: 8x faster to start
_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|([^}]+))?\}")


class MissingWords(KeyError):
    """A key the catalogue of a language does not have."""


@cache
def catalogue(lang: str) -> Mapping[str, Any]:
    """The whole catalogue of `lang`, as written (nested sections)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no words for language {lang!r} (known: {', '.join(LANGUAGES)})")
    text = resources.files("jibsa.words").joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    data: Mapping[str, Any] = yaml.load(text, Loader=_LOADER)
    return data


def _flat(section: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in section.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flat(value, key + ".")
        else:
            yield key, value


@cache
def sentences(lang: str) -> Mapping[str, str]:
    """Every sentence of `lang` by its dotted key ('error.not_found')."""
    return {key: str(value) for key, value in _flat(catalogue(lang))}


def _filled(value: Any, how: str | None, lang: str) -> str:
    if isinstance(value, Mapping) and lang in value:  # a field already worded in each language
        value = value[lang]
    elif isinstance(value, Mapping) and "key" in value:  # a field that is itself a Said (its JSON)
        value = say(Said.from_json(value), lang)
    if how is None:
        return number_text(value) if isinstance(value, float) else str(value)
    if how == "number":
        return number_text(float(value))
    if how == "duration":
        return (korean.duration_text if lang == "ko" else english.duration_text)(float(value))
    if how == "date":  # an ISO date: "12월 7일", "2026-12-07"
        day = date.fromisoformat(str(value))
        return f"{day.month}월 {day.day}일" if lang == "ko" else day.isoformat()
    if how == "clock":
        return korean.clock_text(str(value)) if lang == "ko" else str(value)
    if how == "list":
        names = [str(v) for v in value]
        return korean.join_names(names) if lang == "ko" else english.join_names(names)
    return korean.josa(str(value), how) if lang == "ko" else str(value)


def word(text: str, fields: Mapping[str, Any], lang: str) -> str:
    """`text` (a sentence of the catalogue) with its placeholders filled from `fields`."""

    def fill(match: re.Match[str]) -> str:
        name, how = match.group(1), match.group(2)
        if name not in fields:
            raise MissingWords(f"{lang}: no field {name!r} for {text!r}")
        return _filled(fields[name], how, lang)

    return _PLACEHOLDER.sub(fill, text)


def say(said: Said, lang: str) -> str:
    """The sentence `said` names, in `lang`."""
    text = sentences(lang).get(said.key)
    if text is None:
        raise MissingWords(f"words/{lang}.yaml has no {said.key!r}")
    return word(text, said.fields, lang)
