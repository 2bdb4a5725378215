"""The weather strip in a real browser (Debian's chromium through Playwright), at phone and desktop
sizes: `jibsa serve` with KMA and AirKorea pointed at the data.go.kr stand-in (its own process);
the home's city in detail, the 20 cities, both languages; screenshots saved in artifacts/."""

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

import pytest

from jibsa.skills.weather import strip_cities

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

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


def _start(command: list[str], marker: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    """Start `command` and read what it prints up to the line containing `marker`."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    assert process.stdout is not None
    stdout, got = process.stdout, queue.Queue[str]()
    threading.Thread(target=lambda: [got.put(line) for line in stdout] and None, daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while (left := deadline - time.monotonic()) > 0:
        lines.append(got.get(timeout=left))
        if marker in lines[-1]:
            return process, lines
    process.kill()
    raise AssertionError(f"{command[3]} did not start: {lines}")


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(30)
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The stand-in, then `jibsa serve` told to use it: (base URL, admin password)."""
    standin, printed = _start([sys.executable, "-m", "jibsa.testing", "data-go-kr"], "AIRKOREA_BASE_URL", {})
    try:
        env = dict(line.strip().split("=", 1) for line in printed if line.startswith("JIBSA_WEATHER_"))
        port = _free_port()
        jibsa, lines = _start([sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(tmp_path), "--port",
                               str(port), "--log-level", "warning"], "jibsa: ", env)
        try:
            password = re.search(r"(?:비밀번호|password): +(\S+)", "\n".join(lines)).group(1)  # type: ignore[union-attr]
            yield f"http://127.0.0.1:{port}", password
        finally:
            _stop(jibsa)
    finally:
        _stop(standin)


def test_the_weather_strip_at_phone_and_desktop_sizes(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, password = server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height}, locale="ko-KR")
                page.goto(base + "/")
                page.evaluate("localStorage.setItem('jibsa.lang', 'ko')")
                page.fill("input[name=name]", "admin")
                page.fill("input[name=password]", password)
                page.click("#login-form button[type=submit]")
                weather = page.locator('[data-slot="weather"]')
                expect(weather.locator(".wx-city")).to_have_text("서울")
                expect(weather.locator(".wx-tile")).to_have_count(len(strip_cities()))
                expect(weather.locator(".wx-tile .wx-name")).to_have_text(list(strip_cities()))
                expect(weather.locator(".wx-air")).to_contain_text("미세먼지")
                expect(weather.locator(".wx-day")).to_contain_text("최고")
                assert weather.bounding_box()["width"] <= width  # type: ignore[index]
                page.screenshot(path=str(ARTIFACTS / f"weather-{size}.png"))
                page.click("#lang")
                expect(weather.locator(".wx-city")).to_have_text("Seoul")
                expect(weather.locator(".wx-title")).to_have_text("Weather")
                expect(weather.locator(".wx-tile .wx-name").first).to_have_text("Seoul")
                page.close()
        finally:
            browser.close()
    assert (ARTIFACTS / "weather-phone.png").stat().st_size > 10_000
