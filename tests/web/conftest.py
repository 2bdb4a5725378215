"""What the dashboard's browser tests share: one `jibsa serve` (the sample home, simulated appliances) on a
free port, one headless Debian chromium driven by Playwright, and logging in."""

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
from collections.abc import Callable, Iterator
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
    password = re.search(r"password\): (\S+)", text).group(1)  # type: ignore[union-attr]
    token = re.search(r"(jibsa_\S+)", text).group(1)  # type: ignore[union-attr]
    return process, Server(f"http://127.0.0.1:{port}", password, token)


def stop_server(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(30)
    if process.stdout:
        process.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`jibsa serve` on a free port, shared by one test module."""
    process, running = start_server(tmp_path_factory.mktemp("jibsa-data"))
    try:
        yield running
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def session_cookies(server: Server) -> list[dict[str, Any]]:
    """The admin's session, logged in once a module (logins are rate limited: five a minute from one address)."""
    response = httpx.post(server.base + "/api/login", json={"name": "admin", "password": server.password})
    assert response.status_code == 200, response.text
    return [{"name": name, "value": value, "url": server.base, "httpOnly": True, "sameSite": "Strict"}
            for name, value in response.cookies.items()]  # fmt: skip


OpenDashboard = Callable[..., Any]


@pytest.fixture
def dashboard(browser: Any, server: Server, session_cookies: list[dict[str, Any]]) -> Iterator[OpenDashboard]:
    """`dashboard(viewport, lang="ko", color_scheme="light", prepare=None, **context_options)`: a page in a
    fresh browser context (`prepare(context)` runs first), logged in, once the home is on screen. Its context
    closes after the test."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int], lang: str = "ko", color_scheme: str = "light",
                  prepare: Callable[[Any], None] | None = None, **options: Any) -> Any:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **options)
        contexts.append(context)
        if prepare is not None:
            prepare(context)
        context.add_cookies(session_cookies)
        context.add_init_script(f"localStorage.getItem('jibsa.lang') || localStorage.setItem('jibsa.lang', '{lang}')")
        page = context.new_page()
        page.goto(server.base + "/")
        page.wait_for_selector("body[data-ready]", state="attached")
        return page

    yield open_page
    for context in contexts:
        context.close()
