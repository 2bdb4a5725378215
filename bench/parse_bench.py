"""Benchmark of jibsa's parser against Home Assistant's matcher (hassil), on the same sentences, in one run.

usage: .venv/bin/python bench/parse_bench.py [--repeat N]

Reports, for each system: accuracy on Home Assistant's Korean test suite (../shared/peer/ha-intents-ko)
and on our natural-Korean set (tests/nlu/data), per-utterance latency p50/p99 and throughput measured
in this process, start-up (time from launching a server process to its first answer) and peak memory
(VmHWM) of that process. hassil runs with home_assistant_intents' Korean sentences and slot lists
built from the same home files. Scoring follows /work/shared/tools/score_parse.py.

HA accuracy is given twice: as converted, and as Home Assistant itself reads the suite (`HA acc*`:
HassLightSet on an area sets only the area's lights; see tests/nlu/nlu_scoring.py). Last, jibsa's
slowest parse of adversarial lines: 2,000 characters (the longest read) and 10,000 (refused).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
HA_CONVERT = SHARED / "peer" / "ha-intents-ko" / "convert.py"
NATURAL_HOME = REPO / "tests" / "nlu" / "data" / "natural_home.yaml"
NATURAL_ITEMS = REPO / "tests" / "nlu" / "data" / "natural_ko.jsonl"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests" / "nlu"))

from nlu_scoring import lights_only_for_light_set, load_items, matches  # noqa: E402

from hassil_adapter import HassilMatcher  # noqa: E402 - the paths above must be set first
from jibsa.home_file import load_home  # noqa: E402
from jibsa.nlu import Parser  # noqa: E402

Recogniser = Callable[[dict[str, Any]], list[dict[str, Any]]]


def _jibsa(parser: Parser) -> Recogniser:
    def run(item: dict[str, Any]) -> list[dict[str, Any]]:
        understood = parser.parse(item["text"], item.get("room"), item.get("session"))
        commands: list[dict[str, Any]] = understood.to_json()["commands"]
        return commands

    return run


def _hassil(matcher: HassilMatcher) -> Recogniser:
    def run(item: dict[str, Any]) -> list[dict[str, Any]]:
        return matcher.commands(item["text"], item.get("room"))

    return run


def measure(recognise: Recogniser, items: Sequence[dict[str, Any]], repeat: int) -> dict[str, float]:
    """Accuracy (first pass) and latency over `repeat` passes, in this process."""
    ok = sum(any(matches(alt, recognise(it)) for alt in it["expect"]) for it in items)
    times: list[float] = []
    for _ in range(repeat):
        for item in items:
            start = time.perf_counter()
            recognise(item)
            times.append(time.perf_counter() - start)
    times.sort()
    return {
        "accuracy": ok / len(items),
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        "per_s": len(times) / sum(times),
    }


def serve_stats(command: list[str], items: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Start-up (launch to first answer) and peak RSS of a line-serving process fed every item."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True,
                            encoding="utf-8")  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({"text": items[0]["text"]}, ensure_ascii=False) + "\n")
    proc.stdin.flush()
    proc.stdout.readline()
    startup = time.perf_counter() - start
    for item in items:
        proc.stdin.write(json.dumps({"text": item["text"], "room": item.get("room")}, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        proc.stdout.readline()
    status = Path(f"/proc/{proc.pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024
    proc.stdin.close()
    proc.wait(timeout=30)
    return {"startup_s": startup, "rss_mb": rss}


def worst_lines(parser: Parser) -> list[tuple[str, float, float]]:
    """The best of three parses of each adversarial line: (name, wall ms, CPU ms). CPU time is given too
    because on a shared machine the wall clock mostly measures the other processes."""
    words = ["거실", "불", "꺼줘", "켜", "에어컨", "이십삼", "도로", "그리고", "안방도", "됐어", "더워", "30분", "뒤에",
             "다", "모든", "?", "밝기", "50%", "그거"]  # fmt: skip
    lines = {
        "10,000 x 가 (refused)": "가" * 10_000,
        "2,000 x 이 (number words)": "이" * 1999,
        "2,000 digits": "1 " * 999,
        "2,000 거실불꺼": ("거실불꺼" * 500)[:1999],
        "2,000 request words": " ".join(words[i % len(words)] for i in range(700))[:1999],
        "2,000 English": ("turn on the living room light and set it to twenty three " * 40)[:1999],
    }
    out = []
    for name, text in lines.items():
        wall, cpu = [], []
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.thread_time()
            parser.parse(text)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        out.append((name, min(wall), min(cpu)))
    return out


def _row(name: str, values: dict[str, float]) -> str:
    return (
        f"  {name:28s} {values.get('ha', 0):7.1%} {values.get('ha_read', 0):7.1%} {values.get('natural', 0):9.1%} "
        f"{values['p50_ms']:8.3f} "
        f"{values['p99_ms']:8.3f} {values['per_s']:10.0f} {values['startup_s']:8.2f} {values['rss_mb']:8.1f}"
    )


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=3, help="latency passes over every sentence (default 3)")
    repeat = args.parse_args().repeat
    if not HA_CONVERT.exists():
        print(f"Home Assistant's suite is not at {HA_CONVERT}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(HA_CONVERT), tmp], check=True, capture_output=True)
        suites = {
            "ha": (Path(tmp) / "home.yaml", load_items(Path(tmp) / "items.jsonl")),
            "natural": (NATURAL_HOME, load_items(NATURAL_ITEMS)),
        }
        results: dict[str, dict[str, float]] = {"jibsa": {}, "hassil": {}}
        latency: dict[str, list[dict[str, float]]] = {"jibsa": [], "hassil": []}
        for suite, (home_path, items) in suites.items():
            home = load_home(home_path).home
            for name, recognise in (("jibsa", _jibsa(Parser(home))), ("hassil", _hassil(HassilMatcher(home)))):
                figures = measure(recognise, items, repeat)
                results[name][suite] = figures["accuracy"]
                latency[name].append(figures)
        ha_home = load_home(suites["ha"][0]).home
        for name, recognise in (("jibsa", _jibsa(Parser(ha_home))), ("hassil", _hassil(HassilMatcher(ha_home)))):
            corrected = lights_only_for_light_set(suites["ha"][1], ha_home)
            results[name]["ha_read"] = sum(
                any(matches(alt, recognise(it)) for alt in it["expect"]) for it in corrected
            ) / len(corrected)
        every = [*suites["ha"][1], *suites["natural"][1]]
        ha_home = str(suites["ha"][0])
        servers = {
            "jibsa": [str(Path(sys.executable).with_name("jibsa")), "parse", "--home", ha_home],
            "hassil": [sys.executable, str(Path(__file__).with_name("hassil_adapter.py")), ha_home],
        }
        for name, figures_list in latency.items():
            weights = [len(suites[s][1]) for s in suites]
            for key in ("p50_ms", "p99_ms", "per_s"):
                results[name][key] = sum(f[key] * w for f, w in zip(figures_list, weights, strict=True)) / sum(weights)
            results[name].update(serve_stats(servers[name], every))
    print(f"parse bench: {len(suites['ha'][1])} HA sentences + {len(suites['natural'][1])} natural, "
          f"{repeat} latency passes, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"  {'system':28s} {'HA acc':>7s} {'HA acc*':>7s} {'natural':>9s} {'p50 ms':>8s} {'p99 ms':>8s} "
          f"{'utt/s':>10s} {'start s':>8s} {'RSS MB':>8s}")  # fmt: skip
    print(_row("jibsa (jibsa parse)", results["jibsa"]))
    print(_row("hassil + HA Korean intents", results["hassil"]))
    ratio = results["jibsa"]["p50_ms"] / results["hassil"]["p50_ms"]
    print(f"  jibsa p50 / hassil p50 = {ratio:.2f}")
    print(f"  jibsa, adversarial lines (best of 3; load average {os.getloadavg()[0]:.1f}):")
    for name, wall_ms, cpu_ms in worst_lines(Parser(load_home(NATURAL_HOME).home)):
        print(f"    {name:28s} {wall_ms:8.1f} ms wall {cpu_ms:8.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
