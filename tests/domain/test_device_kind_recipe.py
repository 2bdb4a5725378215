"""CONTRIBUTING.md's recipe for adding a device kind is exactly true: the files its steps name exist, and
every device kind jibsa has is in each of them (its type, what people call it, its name in replies and on
the page, in both languages). A kind added by the recipe passes; one that misses a step fails here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

import jibsa
from jibsa.domain.device_types import TYPE_SPECS, DeviceType
from jibsa.words import catalogue

ROOT = Path(jibsa.__file__).parents[2]
SRC = Path(jibsa.__file__).parent


def _recipe() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return text.split("## Add a device kind", 1)[1].split("\n## ", 1)[0]


def _steps() -> list[str]:
    """The numbered steps' files (the optional extras after them aside)."""
    steps = _recipe().strip().split("\n\n", 1)[0]
    return re.findall(r"`((?:src/jibsa/)?[\w/]+\.(?:py|yaml))`", steps)


def _yaml(relative: str) -> Any:
    return yaml.safe_load((SRC / relative).read_text(encoding="utf-8"))


def test_the_recipe_names_five_files_that_exist() -> None:
    files = sorted({path.removeprefix("src/jibsa/") for path in _steps()})
    assert files == ["domain/device_types.py", "nlu/data/lexicon.yaml", "nlu/data/replies.yaml", "words/en.yaml",
                     "words/ko.yaml"]  # fmt: skip
    assert all((SRC / path).is_file() for path in files)


def test_every_kind_is_in_every_file_the_recipe_names() -> None:
    kinds = {kind.value for kind in DeviceType}
    assert kinds == {kind.value for kind in TYPE_SPECS}  # step 1: a type and its spec
    assert kinds <= _yaml("nlu/data/lexicon.yaml")["kinds"].keys()  # step 2: what people call it
    replies = _yaml("nlu/data/replies.yaml")
    for lang in ("ko", "en"):  # step 3: its name in replies and on the page, in both languages
        assert kinds <= replies[lang]["kinds"].keys(), lang
        assert kinds <= catalogue(lang)["page"]["types"].keys(), lang
