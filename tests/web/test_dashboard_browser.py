"""The dashboard in a real browser (Debian's chromium, headless, driven by Playwright): log in, turn
a light off from its card, say a sentence, see both changes on screen; save a screenshot."""

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
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                     "(apt-get install chromium); never `playwright install`"),
]


def _free_port() -> int:
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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`jibsa serve` on a free port: (base URL, admin password, admin token)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(tmp_path), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        text = "".join(_lines_until(process, "jibsa: "))
        password = re.search(r"(?:비밀번호|password): +(\S+)", text).group(1)  # type: ignore[union-attr]
        token = re.search(r"(jibsa_\S+)", text).group(1)  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}", password, token
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        if process.stdout:
            process.stdout.close()


def test_log_in_switch_a_light_off_and_talk(server) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, password, token = server
    headers = {"Authorization": f"Bearer {token}"}
    for device in ("living_ceiling", "living_stand"):
        response = httpx.post(f"{base}/api/devices/{device}/commands", json={"intent": "turn_on"}, headers=headers)
        assert response.status_code == 200
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 420, "height": 1000}, locale="ko-KR")
            page.goto(base + "/")
            page.fill("input[name=name]", "admin")
            page.fill("input[name=password]", password)
            page.click("#login-form button[type=submit]")
            ceiling = page.locator('[data-device="living_ceiling"]')
            expect(ceiling.locator(".power-toggle")).to_have_attribute("aria-pressed", "true")
            expect(page.locator("#live")).to_have_class(re.compile("up"))

            ceiling.locator(".power-toggle").click()  # the card's switch
            expect(ceiling.locator(".power-toggle")).to_have_attribute("aria-pressed", "false")
            expect(ceiling.locator(".state")).to_contain_text("꺼짐")

            page.fill("#say-input", "거실 스탠드 꺼줘")
            page.press("#say-input", "Enter")
            expect(page.locator("#reply")).to_contain_text("스탠드")
            stand = page.locator('[data-device="living_stand"]')
            expect(stand.locator(".power-toggle")).to_have_attribute("aria-pressed", "false")
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

            page.fill("#say-input", "10분 타이머 맞춰줘")
            page.press("#say-input", "Enter")
            expect(page.locator("#jobs li").first).to_contain_text("⏱")  # the pending timer, live
            expect(page.locator("#chart svg")).to_be_visible()  # a sensor's history
            page.click("#lang")
            expect(page.locator("#say-form button[type=submit]")).to_have_text("Say")
        finally:
            browser.close()
    state = httpx.get(f"{base}/api/devices/living_ceiling", headers=headers).json()["state"]
    assert state["power"] is False
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
