"""The Matter sentences of `words.yaml`, with particles fitted to the names put into them (`{device|을}`)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain.korean import fill


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("words.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def say(key: str, language: str = "ko", **fields: Any) -> str:
    """The sentence `key` in `language` (Korean unless "en"); `{device|을}` gives the name the particle
    its last sound takes."""
    language = "en" if language == "en" else "ko"
    return fill(_catalogue()[language][key], fields, language)
