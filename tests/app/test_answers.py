"""The sentences of answers: both languages complete, filled in with the right particles and numbers."""

from __future__ import annotations

import re
from typing import Any

from jibsa.answers import texts
from jibsa.api.events import event_to_dict
from jibsa.home_file import load_home
from jibsa.hub import JobSkipped, PendingJob
from jibsa.nlu import naming

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


def test_a_skipped_job_names_its_devices_and_scene_in_english_for_english() -> None:
    """The event's `what` (the job's devices or scene as a fact) is worded per language: English names the
    device by its English name and the scene by its `name_en`, where the Korean names were put in before."""
    sample, job = load_home(None).home, PendingJob("j1", "command", 0.0, {})
    lamp_and_ac = naming.named(sample, ["living_stand", "living_ac"])
    told = event_to_dict(JobSkipped("home", job, 3540.0, ("거실 스탠드", "거실 에어컨"), lamp_and_ac))
    assert told is not None and told["what"]["what"] == "devices"
    assert told["message"] == "거실 스탠드와 거실 에어컨 예약은 집사가 멈춰 있는 동안 59분 지나 버려서 하지 않았어요."
    assert told["message_en"].startswith(
        "The scheduled command for the floor lamp and the living room air conditioner was skipped"
    )
    away = JobSkipped("home", job, 120.0, ("외출 모드",), naming.scene(sample, "away"))
    told = event_to_dict(away)
    assert told is not None and told["message"].startswith("외출 모드 예약은")
    assert told["message_en"].startswith("The scheduled command for away mode was skipped")
    assert not HANGUL.search(told["message_en"])
