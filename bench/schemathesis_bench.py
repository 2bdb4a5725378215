"""schemathesis against a live `jibsa serve` with the owner's token, over every operation of its OpenAPI
document, counting server errors (5xx) from the requests it actually sent.

    .venv/bin/python bench/schemathesis_bench.py [--max-examples 100] [--max-time 900] [--seed 5]

Starts the sample home on SQLite in a temporary directory, runs schemathesis (every phase, every check,
the same configuration as tests/api/test_api_schemathesis.py: real device and scene ids) with a HAR
report, and counts the requests, the responses with status >= 500 (each listed with its method, URL and
body) and the operations. Prints one JSON line: operations, requests, 5xx, the checks schemathesis
failed (by name), the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from jibsa.testing.processes import free_port, lines_until

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = (
    (Path(__file__).resolve().parents[1] / "tests" / "api" / "test_api_schemathesis.py")
    .read_text(encoding="utf-8")
    .split('CONFIG = """', 1)[1]
    .split('"""', 1)[0]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--max-time", type=int, default=900, help="seconds for the whole run")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jibsa-schemathesis-"))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(work / "data"), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=(work / "serve.log").open("w"), text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    started = time.monotonic()
    try:
        token = re.search(r"(jibsa_\S+)", "\n".join(lines_until(server, "jibsa: ", 120))).group(1)  # type: ignore[union-attr]
        (work / "schemathesis.toml").write_text(CONFIG, encoding="utf-8")
        run = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(work / "schemathesis.toml"), "run",
             f"http://127.0.0.1:{port}/api/openapi.json", "--checks", "all",
             "--header", f"Authorization: Bearer {token}", "--max-examples", str(args.max_examples),
             "--max-time", str(args.max_time), "--seed", str(args.seed), "--workers", "1", "--no-color",
             "--report", "har", "--report-dir", str(work / "report"), "--request-timeout", "30"],
            check=False, capture_output=True, text=True, cwd=work,
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
    output = run.stdout + run.stderr
    (work / "schemathesis.out").write_text(output, encoding="utf-8")
    entries = [
        e
        for har in (work / "report").glob("har-*.json")
        for e in json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]
    ]
    errors = [
        {
            "method": e["request"]["method"],
            "url": e["request"]["url"],
            "status": e["response"]["status"],
            "body": (e["request"].get("postData") or {}).get("text", "")[:300],
        }
        for e in entries
        if e["response"]["status"] >= 500
    ]
    statuses = Counter(e["response"]["status"] for e in entries)
    operations = {(e["request"]["method"], re.sub(r"\?.*", "", e["request"]["url"])) for e in entries}
    failed_checks = (
        sorted(set(re.findall(r"^\s*-?\s*([A-Z][A-Za-z ]+)\s*$", output.split("FAILURES", 1)[-1], re.MULTILINE)))
        if "FAILURES" in output
        else []
    )
    summary = re.findall(r"^.*(?:generated|passed|failed|Test cases|API Operations).*$", output, re.MULTILINE)
    print(
        json.dumps(
            {
                "requests": len(entries),
                "5xx": len(errors),
                "errors": errors[:20],
                "statuses": dict(sorted(statuses.items())),
                "distinct_urls": len(operations),
                "exit": run.returncode,
                "summary": summary[-6:],
                "failed_checks": failed_checks[:20],
                "seconds": round(time.monotonic() - started),
                "output": str(work / "schemathesis.out"),
                "load": Path("/proc/loadavg").read_text(encoding="ascii").split()[:3],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
