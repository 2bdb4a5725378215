"""Both languages complete: the dashboard's words (the `page` section of words/ko.yaml and en.yaml) have
the same entries with the same placeholders, cover every sentence the page's code and HTML ask for, and
name every device type, property and state value the domain defines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jibsa.api.app import web_root
from jibsa.domain.device_types import SENSOR_READINGS, TYPE_SPECS, DeviceType
from jibsa.words import catalogue

WEB = web_root()
LANGUAGES = ("ko", "en")


def _words(lang: str) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = catalogue(lang)["page"]
    return data


def _asked_for(pattern: str, files: list[Path]) -> set[str]:
    return {key for path in files for key in re.findall(pattern, path.read_text(encoding="utf-8"))}


def _entries(section: Any, prefix: str) -> dict[str, Any]:
    """A section's entries by dotted key; a part's nested words ("energy.sure.high") and lists as they are."""
    if not isinstance(section, dict):
        return {prefix: section}
    return {k: v for name, value in section.items() for k, v in _entries(value, f"{prefix}.{name}").items()}


def test_both_languages_have_the_same_entries_and_placeholders() -> None:
    ko, en = _entries(_words("ko"), "page"), _entries(_words("en"), "page")
    assert ko.keys() == en.keys()
    for key, text in ko.items():
        if isinstance(text, list):  # the voice check's sentences; the particles English does without
            assert len(text) == len(en[key]), key
            continue
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", en[key])), key
        assert text.strip() and en[key].strip(), key


def test_every_word_a_page_part_asks_for_exists() -> None:
    """A part reads its words as `w().name`, `t().name` or `words.name` after `words("part")`: each name is in
    both languages."""
    for path in sorted(WEB.glob("*.js")):
        code = path.read_text(encoding="utf-8")
        for part in re.findall(r'(?:\bw|W)ords\("(\w+)"\)', code):  # words("voice"), pageWords("energy")
            asked = set(re.findall(r"\b[wt]\(\)\.(\w+)", code)) | set(re.findall(r"\b(?:w|words)\.(\w+)", code))
            assert asked or part == "particles", path.name
            for lang in LANGUAGES:
                missing = asked - _words(lang)[part].keys() if part != "particles" else set()
                assert not missing, f"{path.name}: page.{part} in {lang}.yaml lacks {sorted(missing)}"


def test_every_sentence_the_page_asks_for_exists() -> None:
    scripts = sorted(WEB.glob("*.js"))
    asked = _asked_for(r'\bt\("(\w+)"', scripts) | _asked_for(r'data-t(?:-label)?="(\w+)"', [WEB / "index.html"])
    asked |= {f"repeat_{r}" for r in ("daily", "weekdays", "weekends")} | {"themeAuto", "themeLight", "themeDark"}
    for lang in LANGUAGES:
        missing = asked - _words(lang)["text"].keys()
        assert not missing, f"{lang}.json lacks {sorted(missing)}"


def test_every_sentence_in_the_files_is_used() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in [*WEB.glob("*.js"), WEB / "index.html"])
    built = re.compile(r"^(repeat_|theme[A-Z])")  # keys the code builds: `repeat_${job.repeat}`, `theme${…}`
    unused = [key for key in _words("ko")["text"] if f'"{key}"' not in code and not built.match(key)]
    assert not unused


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_type_property_and_value_has_a_word(lang: str) -> None:
    words = _words(lang)
    properties: list[Any] = [p for spec in TYPE_SPECS.values() for p in spec.properties]
    properties += list(SENSOR_READINGS.values())
    assert {t.value for t in DeviceType} <= words["types"].keys()
    assert {p.name for p in properties} <= words["labels"].keys()
    assert {c for p in properties for c in p.choices} <= words["words"].keys()
