"""The catalogue: words/ko.yaml and words/en.yaml, one per language, the same keys in each.

A sentence's placeholders are `{field}`, or `{field|how}` where `how` is a Korean particle (`{name|을}`:
the name with 을 or 를 by how it is read) or one of `number`, `duration`, `clock`, `date` (ISO), `list`. A field whose
value is a mapping by language ({"ko": ..., "en": ...}) gives each language its own; one that is a
`Said`'s JSON ({"key": ..., "fields": ...}) is worded itself ("the SmartThings account"); one that is a fact
with "what" (devices, a property, a value: `jibsa.words.phrases`) is worded as a phrase, its particle where
the phrase puts it ("{targets|을}": "불을 모두").
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
from jibsa.domain.device_types import kind_names
from jibsa.domain.korean import number_text
from jibsa.domain.said import Said
from jibsa.words import english
from jibsa.words.phrases import Phrases, is_phrase

LANGUAGES = ("ko", "en")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when built with it: 8x faster to start
_KIND_NAMES = (("page", "types", "page"), ("reply", "kinds", "reply"), ("reply", "kind", "reply"))
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
    return _with_kind_names(data, lang)


def _with_kind_names(data: Mapping[str, Any], lang: str) -> Mapping[str, Any]:
    """The device kinds' names (`reply.kinds.<kind>` and `reply.kind.<kind>` in replies, `page.types.<kind>`
    on the page) come from domain/kind_names.yaml, where each kind's names are declared once."""
    out = dict(data)
    for section, table, use in _KIND_NAMES:
        part = dict(out.get(section, {}))
        written = dict(part.get(table, {}))
        declared = {kind.value: name for kind, name in kind_names(lang, use).items()}
        if twice := sorted(declared.keys() & written.keys()):
            raise ValueError(
                f"words/{lang}.yaml: {section}.{table}.{twice[0]}: a kind's names are in domain/kind_names.yaml"
            )
        part[table] = {**written, **declared}
        out[section] = part
    return out


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


@cache
def _phrases(lang: str) -> Phrases:
    return Phrases(lang, sentences(lang), lambda text, fields: word(text, fields, lang))


def _filled(value: Any, how: str | None, lang: str) -> str:
    if is_phrase(value):
        return _phrases(lang).worded(value, how)
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
    text = sentences(lang).get(_key_for_property(said, lang))
    if text is None:
        raise MissingWords(f"words/{lang}.yaml has no {said.key!r}")
    return word(text, said.fields, lang)


def _key_for_property(said: Said, lang: str) -> str:
    """`said.key`, or its wording for the property it names when the catalogue has one: a mode's values say
    the word themselves ("냉방 모드"), so `reply.promise.set_mode` is "…을 냉방 모드로", never "…의 모드를 냉방
    모드로"."""
    prop: Any = said.fields.get("prop")
    if not (is_phrase(prop) and prop.get("of") == "reply.properties"):
        return said.key
    own = f"{said.key}_{prop['name']}"
    return own if own in sentences(lang) else said.key
