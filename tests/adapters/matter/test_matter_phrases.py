"""What the conversation's Matter sentences call (data/matter_sentences.yaml), and the pairing codes
jibsa takes before asking the controller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jibsa.adapters.matter.codes import pairing_code
from jibsa.adapters.matter.phrases import matter_phrases
from jibsa.home_file import load_home
from jibsa.nlu.phrases import PhraseBook

HOME = load_home(str(Path(__file__).with_name("home.yaml"))).home
CASES: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("data").joinpath("matter_sentences.yaml").read_text(encoding="utf-8")
)


def _book(when: str | None) -> PhraseBook:
    phrases = matter_phrases(HOME, configured=when in ("code", "name"), awaiting_name=lambda: when == "name")
    return PhraseBook(phrases.rules, phrases.slots, phrases.patterns)


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_sentence(case: dict[str, Any]) -> None:
    match = _book(case.get("when")).match(case["text"])
    if "intent" not in case:
        assert match is None
        return
    assert match is not None and match.intent == case["intent"]
    expected = {k: case[k] for k in ("code", "room", "name") if k in case}
    assert match.params == expected


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("3497-011-2332", "34970112332"),
        ("34970112332", "34970112332"),
        (" 3497 011 2332 ", "34970112332"),
        ("749701123365521327694", "749701123365521327694"),  # the 21-digit form
        ("MT:Y.K90AFN00KA0648G00", "MT:Y.K90AFN00KA0648G00"),
        ("mt:y.k90afn00ka0648g00", "MT:Y.K90AFN00KA0648G00"),
        ("3497-011-2333", None),  # a mistyped digit: the check digit does not agree
        ("3497-011-233", None),
        ("삼사구칠", None),
        ("３４９７０１１２３３２", None),  # full-width digits are not ASCII
        ("MT:", None),
        ("", None),
    ],
)
def test_pairing_codes(said: str, code: str | None) -> None:
    assert pairing_code(said) == code
