"""`bench/voice_bench.py`'s report: a manifest of real recordings has variants with no "-" (it once
crashed on them), every wrong action is counted and listed said → done, and a question answered
instead is a miss, not a wrong action."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jibsa.domain import Command


def voice_bench() -> ModuleType:
    path = Path(__file__).parents[2] / "bench" / "voice_bench.py"
    spec = importlib.util.spec_from_file_location("voice_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def row(variant: str, *, aware: bool, wrong: bool, done: str) -> dict[str, Any]:
    return {
        "variant": variant,
        "text": "start the dishwasher",
        "heard": "start the washer",
        "chosen": "x",
        "typed": True,
        "plain": aware,
        "plain_wrong": wrong,
        "aware": aware,
        "aware_wrong": wrong,
        "asked": False,
        "expected": "start dishwasher",
        "done": done,
        "cer": 0.1,
        "seconds": 0.5,
        "audio_s": 1.0,
        "denoise_ms": 5.0,
        "vad_ms": 10.0,
        "stt_ms": 400.0,
        "stages_ms": [250.0, 100.0, 50.0],
        "choice_ms": 2.0,
    }


def test_a_recording_variant_without_a_dash_is_reported_with_its_wrong_actions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = voice_bench()
    bench.report(
        [
            row("recorded", aware=True, wrong=False, done="start dishwasher"),
            row("kitchen", aware=False, wrong=True, done="start washer"),
        ]
    )
    out = capsys.readouterr().out
    assert "recorded (all)" in out and "kitchen (all)" in out
    kitchen = next(line for line in out.splitlines() if line.startswith("kitchen "))
    assert kitchen.split()[-4] == "1"  # one wrong action in the home-aware column
    assert "1 x  start dishwasher  ->  start washer" in out


def test_a_question_answered_instead_is_a_miss_and_an_act_on_another_device_is_wrong() -> None:
    bench = voice_bench()
    said = [{"intent": "close", "targets": ["living_curtain"]}]
    assert not bench._wrong([Command("query_state", ("living_curtain",))], said)
    assert bench._wrong([Command("open", ("living_curtain",))], said)
    assert bench._wrong([Command("query_state", ("living_curtain",)), Command("open", ("master_blind",))], said)
    assert not bench._wrong([Command("close", ("living_curtain",))], said)
    assert not bench._wrong([], said)


def test_the_summary_line_counts_each_variant_and_names_the_load() -> None:
    bench = voice_bench()
    line = bench.summary(
        [
            row("en-noise-10dB", aware=True, wrong=False, done="start dishwasher"),
            row("en-noise-10dB", aware=False, wrong=True, done="start washer"),
        ]
    )
    noisy = line["variants"]["en-noise-10dB"]
    assert noisy == {"n": 2, "understood_pct": 50.0, "wrong": 1, "asked": 0, "ms_p50": 500, "ms_p95": 500}
    assert line["variants"]["en-noise (all)"]["n"] == 2 and len(line["load_average"]) == 3
    assert line["stages_ms_p50"] == {
        "denoise": 5.0,
        "vad": 10.0,
        "encode": 250.0,
        "beam": 100.0,
        "hotword_beam": 50.0,
        "choice": 2.0,
    }
    assert line["rss_mb"] > 0
