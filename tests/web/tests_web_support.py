"""Helpers of the dashboard's browser tests (and bench/page_bench.py): screen sizes, starting `jibsa serve`
on a free port, the chromium to drive. The fixtures built on them are in conftest.py."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1440, "height": 900}

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                     "(apt-get install chromium); never `playwright install`"),
]  # fmt: skip


@dataclass(frozen=True)
class Server:
    base: str
    password: str
    token: str

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """A request with the admin's token; the answer's JSON (asserting success)."""
        response = httpx.request(method, self.base + path, headers={"Authorization": f"Bearer {self.token}"},
                                 timeout=10, **kwargs)  # fmt: skip
        assert response.status_code == 200, response.text
        return response.json()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _lines_until(process: subprocess.Popen[str], marker: str, timeout: float = 60.0) -> list[str]:
    """What the server prints up to its "jibsa: <url>" line (a thread reads the pipe)."""
    assert process.stdout is not None
    stdout, got = process.stdout, queue.Queue[str]()
    threading.Thread(target=lambda: [got.put(line) for line in stdout] and None, daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        line = got.get(timeout=left)
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"server did not start: {lines}")


def start_server(data: Path) -> tuple[subprocess.Popen[str], Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(data), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    text = "".join(_lines_until(process, "jibsa: "))
    password = re.search(r"(?:비밀번호|password): +(\S+)", text).group(1)  # type: ignore[union-attr]
    token = re.search(r"(jibsa_\S+)", text).group(1)  # type: ignore[union-attr]
    return process, Server(f"http://127.0.0.1:{port}", password, token)


def stop_server(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(30)
    if process.stdout:
        process.stdout.close()


OpenDashboard = Callable[..., Any]
