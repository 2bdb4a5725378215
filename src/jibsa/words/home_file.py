"""A home file's problem in words: the file and the field path as they are, the problem from the catalogue's
`home_file` section, in Korean or English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import HomeFileError
from jibsa.words.catalogue import catalogue, word

# Values a problem names as the file wrote them, quoted ('bedroom'), so a reader sees where they end.
_QUOTED = frozenset({"id", "language", "type", "room", "measure", "intent", "device", "value", "tariff"})


def _field(name: str, value: Any, section: Mapping[str, Any], language: str) -> Any:
    if name == "kind":
        return section["kinds"].get(value, value)
    if name not in _QUOTED:
        return value
    return repr(value) if language == "en" and name == "value" else f"'{value}'"  # 32, '31일' in English


def describe_problem(error: HomeFileError, language: str) -> str:
    """The error's one line in `language` (an error without a code is said as it is)."""
    section = catalogue(language)["home_file"]
    if error.code not in section["problems"]:
        return str(error)
    fields = {name: _field(name, value, section, language) for name, value in error.values.items()}
    problem = word(str(section["problems"][error.code]), fields, language)
    place = error.values if error.code == "bad_yaml" else {}
    path = word(str(section["yaml_where"]), place, language) if place.keys() >= {"line", "column"} else error.path
    return f"{error.source}: {path}: {problem}" if path else f"{error.source}: {problem}"
