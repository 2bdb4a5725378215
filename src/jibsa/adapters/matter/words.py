"""The Matter sentences of `words.yaml`, with particles fitted to the names put into them."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.nlu.josa import josa

_PARTICLES = ("을", "이", "은", "이에요")


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("words.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def say(key: str, language: str = "ko", **fields: Any) -> str:
    """The sentence `key` in `language` (Korean unless "en"); a text field `x` is also offered as
    `x_을`, `x_이`, `x_은` and `x_이에요`, the word with the particle its last sound takes."""
    sentence = _catalogue()["en" if language == "en" else "ko"][key]
    fitted = {f"{k}_{p}": josa(str(v), p) for k, v in fields.items() if isinstance(v, str) for p in _PARTICLES}
    return sentence.format(**fields, **fitted)
