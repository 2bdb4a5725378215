"""bench/speaker_bench.py runs in CI in a short form: its JSON line has every field, and the figures
are sane (rates in 0..1, counts that add up, better than chance). Its speed is reported, not judged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jibsa.voice.speaker import DEFAULT_THRESHOLD

BENCH = Path(__file__).parents[2] / "bench" / "speaker_bench.py"


def run_bench(*args: str) -> tuple[dict[str, Any], str]:
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("needs espeak-ng and sox (Debian packages)")
    done = subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout


def test_the_short_bench_ends_in_a_sane_json_line() -> None:
    line, printed = run_bench("--speakers", "4", "--enrol", "2", "--test", "2", "--rounds", "2")
    assert set(line) == {
        "speakers",
        "source",
        "eer",
        "identified",
        "ms_per_utterance",
        "rss_added_mb",
        "threshold",
        "eer_threshold",
    }
    assert line["speakers"] == 4 and line["source"] == "espeak-ng"
    right, total = (int(n) for n in line["identified"].split("/"))
    assert total == 4 * 2 and 0 <= right <= total
    assert right > total / 4  # better than picking one of four at random
    assert 0.0 <= line["eer"] < 0.5  # better than chance
    assert -1.0 <= line["eer_threshold"] <= 1.0 and line["threshold"] == DEFAULT_THRESHOLD
    assert line["ms_per_utterance"] > 0
    assert "not people" in printed and "threshold  false-accept  false-reject" in printed


def test_a_households_recordings_are_measured_the_same_way(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    for person, voice in (("mina", "en+f4"), ("junho", "en-gb+m2")):
        (tmp_path / person).mkdir()
        for index, text in enumerate(("Turn on the light.", "Is the washer done?", "Close the curtains now.")):
            out = tmp_path / person / f"{index}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True)
    line, printed = run_bench("--recordings", str(tmp_path), "--rounds", "1")
    assert line["speakers"] == 2 and line["source"] == "recordings"
    assert line["identified"].endswith("/4")  # 3 files each: 1 enrols, 2 are tested
    assert "household recordings" in printed


def test_recordings_of_one_person_are_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "mina").mkdir()
    done = subprocess.run(
        [sys.executable, str(BENCH), "--recordings", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "needs at least 2 WAV files" in done.stderr
