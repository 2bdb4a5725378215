"""Start-up of the one-shot commands (`jibsa say`, `jibsa status`), launch to exit, as a person runs
them: on their own (no server), and with a `jibsa serve` owning the data directory (they ask it).

    .venv/bin/python bench/startup_bench.py [RUNS]

Prints min / median / max wall seconds per case. For CPU seconds and a paired comparison, the
machine's `farm-bench -n 10 -- .venv/bin/jibsa say --data DIR "거실 천장등 꺼줘"` gives the same cases."""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jibsa.testing.processes import free_port

JIBSA = [sys.executable, "-m", "jibsa.cli.main"]
CASES = [("say", "거실 천장등 꺼줘"), ("status",), ("say", " ")]  # the last is refused (exit 2)


def _timed(data: Path, args: tuple[str, ...]) -> float:
    command, *rest = args
    start = time.perf_counter()
    subprocess.run([*JIBSA, command, "--data", str(data), *rest], capture_output=True, check=False)
    return time.perf_counter() - start


def _report(label: str, data: Path, runs: int) -> None:
    for args in CASES:
        _timed(data, args)  # warm-up: the file system's caches, the first migration
        times = sorted(_timed(data, args) for _ in range(runs))
        print(
            f"{label:>13}  jibsa {' '.join(repr(a) if ' ' in a else a for a in args):<22} "
            f"min {times[0]:.3f}  median {statistics.median(times):.3f}  max {times[-1]:.3f} s"
        )


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as alone, tempfile.TemporaryDirectory() as served:
        _report("no server", Path(alone), runs)
        server = subprocess.Popen(
            [*JIBSA, "serve", "--data", served, "--port", str(free_port()), "--log-level", "warning"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if line.startswith("jibsa: "):
                    break
            _report("with a server", Path(served), runs)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
