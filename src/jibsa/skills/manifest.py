"""A skill's manifest (`skill.yaml` in its package): what it is called, the phrases that call its
intents (Korean and English templates with slots), its settings and what it may touch.

```yaml
name: recycling
intents: [recycling_day]
phrases:
  - {intent: recycling_day, ko: ["[{day}] 무슨 쓰레기 버리는 날*"], en: ["what (goes out|do i put out) [{day}]*"]}
slots:
  day: {today: [오늘, today], tomorrow: [내일, tomorrow]}
settings:
  schedule: {required: true, description: "weekday -> what goes out"}
permissions:
  read_states: false        # may it read device states
  command: [light]          # device types it may command
  hosts: [api.example.kr]   # network hosts it may reach
timeout_s: 3
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from jibsa.domain import DeviceType, JibsaError
from jibsa.nlu.phrases import PhraseRule, template_problem

DEFAULT_TIMEOUT_S = 3.0
MAX_TIMEOUT_S = 30.0


class ManifestError(JibsaError):
    """A manifest that cannot be used: names the skill's file and the field."""


@dataclass(frozen=True)
class Permissions:
    read_states: bool = False
    command: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SkillManifest:
    name: str
    intents: tuple[str, ...]
    rules: tuple[PhraseRule, ...]
    slots: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    permissions: Permissions = Permissions()
    timeout_s: float = DEFAULT_TIMEOUT_S

    def required_settings(self) -> tuple[str, ...]:
        return tuple(k for k, spec in self.settings.items() if spec.get("required"))


def read_manifest(text: str, source: str) -> SkillManifest:
    """The manifest in `text` (YAML); ManifestError naming `source` and the field when it is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"{source}: not YAML: {exc}") from None
    if not isinstance(data, Mapping) or not data.get("name"):
        raise ManifestError(f"{source}: name: a skill needs a name")
    intents = tuple(str(i) for i in data.get("intents") or ())
    if not intents:
        raise ManifestError(f"{source}: intents: a skill declares at least one intent")
    slots = _slots(data.get("slots") or {}, source)
    return SkillManifest(
        str(data["name"]),
        intents,
        _rules(data.get("phrases") or [], intents, set(slots), source),
        slots,
        dict(data.get("settings") or {}),
        _permissions(data.get("permissions") or {}, source),
        _timeout(data, source),
    )


def _rules(phrases: Any, intents: tuple[str, ...], slots: set[str], source: str) -> tuple[PhraseRule, ...]:
    rules = []
    for index, phrase in enumerate(phrases if isinstance(phrases, list) else []):
        where = f"{source}: phrases[{index}]"
        if not isinstance(phrase, Mapping) or phrase.get("intent") not in intents:
            raise ManifestError(f"{where}: intent: one of the declared intents {list(intents)}")
        templates = {lang: tuple(str(t) for t in phrase.get(lang) or ()) for lang in ("ko", "en")}
        if not templates["ko"]:
            raise ManifestError(f"{where}: ko: at least one Korean template")
        for lang, texts in templates.items():
            for template in texts:
                problem = template_problem(template, slots)
                if problem:
                    raise ManifestError(f"{where}: {lang}: '{template}': {problem}")
        rules.append(PhraseRule(str(phrase["intent"]), templates, dict(phrase.get("params") or {})))
    return tuple(rules)


def _slots(slots: Any, source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(slots, Mapping):
        raise ManifestError(f"{source}: slots: a mapping of slot -> value -> words")
    return {
        str(slot): {str(value): tuple(str(w) for w in words) for value, words in (values or {}).items()}
        for slot, values in slots.items()
    }


def _permissions(raw: Any, source: str) -> Permissions:
    if not isinstance(raw, Mapping):
        raise ManifestError(f"{source}: permissions: a mapping")
    known = {t.value for t in DeviceType}
    command = frozenset(str(t) for t in raw.get("command") or ())
    unknown = sorted(command - known)
    if unknown:
        raise ManifestError(f"{source}: permissions.command: unknown device types {unknown}")
    return Permissions(bool(raw.get("read_states", False)), command, frozenset(str(h) for h in raw.get("hosts") or ()))


def _timeout(data: Mapping[str, Any], source: str) -> float:
    try:
        timeout = float(data.get("timeout_s", DEFAULT_TIMEOUT_S))
    except (TypeError, ValueError):
        timeout = -1.0
    if not 0 < timeout <= MAX_TIMEOUT_S:
        raise ManifestError(f"{source}: timeout_s: seconds between 0 and {MAX_TIMEOUT_S:g}")
    return timeout
