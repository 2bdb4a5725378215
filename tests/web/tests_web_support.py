"""Helpers of the dashboard's browser tests (and bench/page_bench.py): screen sizes, starting `jibsa serve`
on a free port, the chromium to drive. The fixtures built on them are in conftest.py."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from jibsa.testing.processes import start_serve, stop

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


def start_server(data: Path) -> tuple[subprocess.Popen[str], Server]:
    process, served = start_serve(data)
    return process, Server(served.base, served.password, served.token)


stop_server = stop
OpenDashboard = Callable[..., Any]
