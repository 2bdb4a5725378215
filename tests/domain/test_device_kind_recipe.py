"""CONTRIBUTING.md's recipe for adding a device kind is exactly true: its steps name three files that exist,
and every device kind jibsa has is in each of them (its type and spec, its names in both languages, what
people call it). A kind added by the recipe passes; one that misses a step fails here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

import jibsa
from jibsa.domain.device_types import NAME_USES, TYPE_SPECS, DeviceType, kind_names, read_kind_names
from jibsa.words import LANGUAGES, catalogue

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


def recipe_gaps(kinds: set[str], specs: set[str], names: Mapping[str, Any], lexicon: Mapping[str, Any]) -> list[str]:
    """What the recipe's steps lack for `kinds`: a spec (step 1), a name per language and use (step 2),
    the words people use (step 3)."""
    gaps = [f"device_types.py: no TypeSpec for {kind}" for kind in sorted(kinds - specs)]
    for kind in sorted(kinds):
        gaps += [
            f"kind_names.yaml: {kind}.{lang}.{use}"
            for lang in LANGUAGES
            for use in NAME_USES
            if not str((names.get(kind) or {}).get(lang, {}).get(use, "")).strip()
        ]
        gaps += [] if lexicon["kinds"].get(kind) else [f"lexicon.yaml kinds: {kind}"]
    return gaps


def _today() -> tuple[set[str], set[str], dict[str, Any], dict[str, Any]]:
    kinds = {kind.value for kind in DeviceType}
    specs = {kind.value for kind in TYPE_SPECS}
    return kinds, specs, _yaml("domain/kind_names.yaml"), _yaml("nlu/data/lexicon.yaml")


def test_the_recipe_names_three_files_that_exist() -> None:
    files = sorted({path.removeprefix("src/jibsa/") for path in _steps()})
    assert files == ["domain/device_types.py", "domain/kind_names.yaml", "nlu/data/lexicon.yaml"]
    assert all((SRC / path).is_file() for path in files)


def test_every_kind_has_every_step() -> None:
    assert recipe_gaps(*_today()) == []


def test_a_kind_added_by_the_recipe_passes_and_one_missing_a_step_fails() -> None:
    kinds, specs, names, lexicon = _today()
    added = {"en": {"reply": "heat pumps", "page": "Heat pump"}, "ko": {"reply": "히트펌프", "page": "히트펌프"}}
    kinds, specs = kinds | {"heat_pump"}, specs | {"heat_pump"}
    names = {**names, "heat_pump": added}
    lexicon = {**lexicon, "kinds": {**lexicon["kinds"], "heat_pump": ["히트펌프", "heat pump"]}}
    assert recipe_gaps(kinds, specs, names, lexicon) == []

    assert recipe_gaps(kinds, specs - {"heat_pump"}, names, lexicon) == ["device_types.py: no TypeSpec for heat_pump"]
    no_english_page = {**names, "heat_pump": {**added, "en": {"reply": "heat pumps"}}}
    assert recipe_gaps(kinds, specs, no_english_page, lexicon) == ["kind_names.yaml: heat_pump.en.page"]
    unheard = {**lexicon, "kinds": {k: v for k, v in lexicon["kinds"].items() if k != "heat_pump"}}
    assert recipe_gaps(kinds, specs, names, unheard) == ["lexicon.yaml kinds: heat_pump"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_and_the_replies_take_the_names_from_the_one_file(lang: str) -> None:
    words = catalogue(lang)
    for kind in DeviceType:
        assert words["reply"]["kinds"][kind.value] == words["reply"]["kind"][kind.value]
        assert words["reply"]["kinds"][kind.value] == kind_names(lang, "reply")[kind]
        assert words["page"]["types"][kind.value] == kind_names(lang, "page")[kind]


def test_a_gap_in_the_kind_names_is_an_error_naming_the_file_the_kind_and_the_field() -> None:
    names = _yaml("domain/kind_names.yaml")
    assert read_kind_names(names)["en", "page"][DeviceType.LIGHT] == "Light"
    no_page = {**names, "light": {**names["light"], "en": {"reply": "lights"}}}
    with pytest.raises(ValueError, match=r"^domain/kind_names\.yaml: light\.en\.page: missing$"):
        read_kind_names(no_page)
    with pytest.raises(ValueError, match=r"domain/kind_names\.yaml: spaceship: no such device kind"):
        read_kind_names({**names, "spaceship": names["light"]})
    without_fan = {k: v for k, v in names.items() if k != "fan"}
    with pytest.raises(ValueError, match=r"fan\.en\.reply: missing"):
        read_kind_names(without_fan)
