"""Phrases that call an intent, given as plain data (a skill's templates and slot values): the
hook through which skills' sentences reach the understanding without the parser knowing skills.

A template is matched against the whole request, spaces ignored: `[x]` is optional, `(a|b)` is
one of, `{slot}` is one of the slot's words (its value goes in the command's params) or, for a slot
given as a pattern, the text the pattern matches (a pairing code, a name), `*` is any ending
("우산 챙겨야*" matches "우산 챙겨야 해?" and "우산 챙겨야 할까요"). A rule with `when` applies only
while `when()` is true (an answer jibsa is waiting for).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jibsa.nlu.normalise import compact, looks_english, normalise

_TRAILING = re.compile(r"[\s?.!~…]+$")
_TOKENS = re.compile(r"\{\w+\}|[\[\]()|*]|[^\[\]()|*{}]+")
_SYNTAX = {"[": "(?:", "]": ")?", "(": "(?:", ")": ")", "|": "|", "*": ".*"}


def template_problem(template: str, slots: set[str]) -> str | None:
    """What is wrong with a template (unbalanced brackets, a slot not declared), or None."""
    tokens = _TOKENS.findall(template)
    if "".join(tokens) != template:
        return "a '{' or '}' that is not part of a {slot}"
    named = {token[1:-1] for token in tokens if token.startswith("{")}
    if named - slots:
        return f"slots {sorted(named - slots)} are not declared"
    try:
        re.compile(_regex(template, {slot: ["x"] for slot in slots}))
    except re.error as exc:
        return f"brackets do not match ({exc.msg})"
    return None


@dataclass(frozen=True)
class PhraseRule:
    """Templates (per language) that call `intent` with fixed `params` and the slots they name."""

    intent: str
    templates: Mapping[str, Sequence[str]]
    params: Mapping[str, Any] = field(default_factory=dict)
    when: Callable[[], bool] | None = None


@dataclass(frozen=True)
class PhraseMatch:
    intent: str
    params: dict[str, Any]
    language: str


class PhraseBook:
    """Rules in order of priority, with the words of each slot: {slot: {value: [words]}}, and the slots
    whose value is the text a regular expression matches in the normalised, spaceless request."""

    def __init__(
        self,
        rules: Sequence[PhraseRule],
        slots: Mapping[str, Mapping[str, Sequence[str]]],
        patterns: Mapping[str, str] | None = None,
    ) -> None:
        self._words = {
            slot: {compact(normalise(w)): value for value, words in values.items() for w in words}
            for slot, values in slots.items()
        }
        self._patterns = dict(patterns or {})
        self._compiled = [
            (rule, lang, re.compile(_regex(t, self._words, self._patterns)))
            for rule in rules
            for lang, templates in rule.templates.items()
            for t in templates
        ]

    def match(self, text: str) -> PhraseMatch | None:
        """The first rule one of whose templates the whole `text` matches."""
        said = compact(_TRAILING.sub("", normalise(text)))
        language = "en" if looks_english(text) else "ko"
        for rule, lang, pattern in self._compiled:
            if lang != language or (rule.when is not None and not rule.when()):
                continue
            found = pattern.fullmatch(said)
            if found is None:
                continue
            params = dict(rule.params)
            for group, word in found.groupdict().items():
                if word:
                    slot = group.rsplit("_", 1)[0]
                    params[slot] = word if slot in self._patterns else self._words[slot][word]
            return PhraseMatch(rule.intent, params, language)
        return None


def _regex(template: str, words: Mapping[str, Iterable[str]], patterns: Mapping[str, str] | None = None) -> str:
    out: list[str] = []
    for counter, token in enumerate(_TOKENS.findall(template)):
        if token.startswith("{") and token[1:-1] in (patterns or {}):
            out.append(f"(?P<{token[1:-1]}_{counter}>{(patterns or {})[token[1:-1]]})")
        elif token.startswith("{"):
            slot = token[1:-1]
            alternatives = sorted(words.get(slot, ()), key=len, reverse=True)
            out.append(f"(?P<{slot}_{counter}>{'|'.join(map(re.escape, alternatives)) or '(?!)'})")
        else:
            out.append(_SYNTAX.get(token) or re.escape(compact(normalise(token))))
    return "".join(out)
