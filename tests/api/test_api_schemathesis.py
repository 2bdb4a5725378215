"""schemathesis, run against the OpenAPI document of a live `jibsa serve` with every check it has, finds
the server and its document in agreement: no server error, no undocumented status, no request the
schema allows refused or one it forbids accepted, Allow headers that list what the path serves."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from jibsa.testing.processes import free_port, lines_until

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Real ids, so that generated bodies reach the hub instead of stopping at 404 unknown_device.
CONFIG = """
[parameters]
"path.device_id" = "living_stand"
"path.scene_id" = "movie"

# A command's params are checked against the device's own properties (a brightness takes a number, a
# mode one of its choices), which one schema for every device cannot say: there, 422 bad_value or
# unsupported_property answers a well-formed request.
[[operations]]
include-name = "POST /api/devices/{device_id}/commands"
checks.positive_data_acceptance.expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429, 504]

# A rule is checked against the home (its devices, properties, trigger kinds: docs/rules.md), which the
# document's free-form `rule` object cannot say: there, 422 bad_rule answers a well-formed request.
[[operations]]
include-name = "POST /api/rules"
checks.positive_data_acceptance.expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429]

# A push endpoint is refused by where its host resolves (private, loopback, link-local: docs/rules.md),
# which no schema can say: there, 422 invalid_request answers a well-formed request ("http://" was one).
[[operations]]
include-name = "POST /api/push/subscriptions"
checks.positive_data_acceptance.expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429]

# The weather setup tries the key with data.go.kr before keeping it (docs/weather.md), which no schema can
# say: there, 422 (the key refused, or none given) or 424 (data.go.kr not reached) answers a well-formed one.
[[operations]]
include-name = "PUT /api/weather/setup"
checks.positive_data_acceptance.expected-statuses = ["2xx", 401, 403, 404, 409, 422, 424, 429]
"""
MAX_EXAMPLES = int(os.environ.get("JIBSA_SCHEMATHESIS_EXAMPLES", "25"))


@pytest.mark.slow
def test_schemathesis_finds_the_server_and_its_document_in_agreement(tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip(f"schemathesis is not installed next to {sys.executable}")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(tmp_path / "data"), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        lines = lines_until(server, "jibsa: ")
        token = re.search(r"(jibsa_\S+)", "\n".join(lines)).group(1)  # type: ignore[union-attr]
        report = tmp_path / "report"
        config = tmp_path / "schemathesis.toml"
        config.write_text(CONFIG, encoding="utf-8")
        run = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(config), "run", f"http://127.0.0.1:{port}/api/openapi.json",
             "--checks", "all", "--header", f"Authorization: Bearer {token}",
             "--max-examples", str(MAX_EXAMPLES), "--seed", "5",
             "--workers", "1", "--no-color", "--report-dir", str(report), "--request-timeout", "30"],
            check=False, capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
        if server.stdout:
            server.stdout.close()
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert re.search(r"\d+ generated, \d+ passed", output), output[-3000:]
    shutil.rmtree(report, ignore_errors=True)
