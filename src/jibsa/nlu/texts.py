"""The reply texts of data/replies.yaml, read once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def _texts() -> dict[str, Any]:
    text = resources.files("jibsa.nlu.data").joinpath("replies.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


def reply_texts(language: str) -> dict[str, Any]:
    """The texts for `language` ("en", else Korean)."""
    texts = _texts()
    return dict(texts["en"] if language == "en" else texts["ko"])
