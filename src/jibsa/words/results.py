"""Results worded for a reader: why a command failed, said by an adapter as a `Said`, becomes the
result's `message` in the reader's language (and `message_en` in an outcome's JSON)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from jibsa.domain.results import TargetResult
from jibsa.domain.said import Said
from jibsa.words.catalogue import say

T = TypeVar("T")


def worded(result: TargetResult, lang: str) -> TargetResult:
    """`result` with its `message` worded in `lang` when it carries a `Said`."""
    return result if result.said is None else replace(result, message=say(result.said, lang))


def outcome_with_words(data: T) -> T:
    """An outcome's JSON (or anything holding results' JSON) with each failed result's `said` worded:
    `message` in Korean, `message_en` in English. Changes and returns `data`."""
    _word_results(data)
    return data


def _word_results(data: Any) -> None:
    if isinstance(data, dict):
        said = data.get("said")
        if "error" in data and isinstance(said, dict) and "key" in said:
            what = Said.from_json(said)
            data["message"], data["message_en"] = say(what, "ko"), say(what, "en")
        for value in data.values():
            _word_results(value)
    elif isinstance(data, list):
        for item in data:
            _word_results(item)
