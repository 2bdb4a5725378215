"""The sentences of answers: both languages complete, filled in with the right particles and numbers."""

from __future__ import annotations

import re
from typing import Any

from jibsa.answers import texts
from jibsa.api.events import event_to_dict
from jibsa.hub import JobSkipped, PendingJob

HANGUL = re.compile(r"[가-힣]")


def _keys(tree: Any, prefix: str = "") -> set[str]:
    if isinstance(tree, dict):
        return {k for key, value in tree.items() for k in _keys(value, f"{prefix}{key}.")} | {prefix}
    return {prefix}


def test_both_languages_have_every_sentence_and_english_has_no_korean() -> None:
    assert _keys(texts("ko")) == _keys(texts("en"))
    english = repr(texts("en"))
    assert not HANGUL.search(english)


def test_a_skipped_job_is_told_in_both_languages() -> None:
    event = JobSkipped("home", PendingJob("j1", "command", 0.0, {}), 3540.0, ("현관문",))
    told = event_to_dict(event)
    assert told is not None and told["type"] == "job_skipped"
    assert told["message"] == "현관문 예약은 집사가 멈춰 있는 동안 59분 지나 버려서 하지 않았어요."
    assert "59 min late" in told["message_en"]
