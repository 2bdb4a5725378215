"""The names people give Matter devices are on disk before they are acknowledged, and a damaged file
costs the names, not the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from jibsa.adapters.matter.names import NAMES_FILE, GivenName, NameBook


def test_a_name_survives_a_restart(tmp_path: Path) -> None:
    NameBook(tmp_path).give("matter_3_1", "거실 스탠드", "living")
    assert NameBook(tmp_path).get("matter_3_1") == GivenName("거실 스탠드", "living")


def test_forgotten_names_stay_forgotten(tmp_path: Path) -> None:
    book = NameBook(tmp_path)
    book.give("matter_3_1", "스탠드", None)
    book.forget(["matter_3_1"])
    assert NameBook(tmp_path).get("matter_3_1") is None


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"matter_1_1": {"room": "living"}}'])
def test_a_damaged_file_is_logged_and_the_makers_names_are_used(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / NAMES_FILE).write_text(content, encoding="utf-8")
    assert NameBook(tmp_path).get("matter_1_1") is None
    if content != '{"matter_1_1": {"room": "living"}}':
        assert NAMES_FILE in caplog.text
