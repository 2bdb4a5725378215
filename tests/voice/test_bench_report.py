"""`bench/voice_bench.py`'s report: a manifest of real recordings has variants with no "-" (it once
crashed on them), and every wrong action is counted and listed said → done."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


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
