"""What `./jibsa` costs before jibsa itself starts: the median wall time of `./jibsa --version` against
`.venv/bin/jibsa --version` (the difference is the launcher's), over N runs each, set-up already done.

    .venv/bin/python bench/launcher_bench.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    launcher = median_ms([str(ROOT / "jibsa"), "--version"], runs)
    direct = median_ms([str(ROOT / ".venv" / "bin" / "jibsa"), "--version"], runs)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(
        f"./jibsa --version {launcher:.0f} ms, .venv/bin/jibsa --version {direct:.0f} ms: "
        f"the launcher adds {launcher - direct:.0f} ms (median of {runs}, load {load})"
    )


if __name__ == "__main__":
    main()
