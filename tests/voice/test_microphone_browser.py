"""The dashboard's microphone in a real browser: Chromium's fake microphone plays a spoken WAV, the
page streams it to `jibsa serve` (the real Whisper model), and the light's card and the reply change."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from tests_web_support import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # the dashboard tests'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.skipif(
        shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng and sox"
    ),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`jibsa serve` (the sample home) on a free port: (base URL, admin password, admin token)."""
    process, running = start_server(tmp_path / "data")
    try:
        yield running.base, running.password, running.token
    finally:
        stop_server(process)


@pytest.fixture
def spoken_wav(tmp_path: Path) -> Iterator[Path]:
    said = tmp_path / "said.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(said), "turn off the living room light"], check=True
    )
    padded = tmp_path / "microphone.wav"  # a breath before, and silence after for the end of speech
    subprocess.run(["sox", str(said), "-r", "48000", str(padded), "pad", "0.5", "3"], check=True)
    yield padded


def test_the_microphone_button_turns_the_light_off(server, spoken_wav: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    base, password, token = server
    headers = {"Authorization": f"Bearer {token}"}
    for device in ("living_ceiling", "living_stand"):
        assert (
            httpx.post(f"{base}/api/devices/{device}/commands", json={"intent": "turn_on"}, headers=headers).status_code
            == 200
        )
    fake_microphone = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={spoken_wav}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + fake_microphone, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 420, "height": 1000}, locale="en-US")
            page.add_init_script("localStorage.setItem('jibsa.lang', 'en')")  # English: words heard as English
            page.goto(base + "/")
            page.fill("input[name=name]", "admin")
            page.fill("input[name=password]", password)
            page.click("#login-form button[type=submit]")
            ceiling = page.locator('#tiles [data-device="living_ceiling"]')
            expect(ceiling.locator(".tile-main")).to_have_attribute("aria-pressed", "true")
            mic = page.locator('[data-voice="mic"]')
            expect(mic).to_have_text(re.compile("Talk"))
            mic.click()
            heard = page.locator('[data-voice="heard"]')
            expect(heard).to_contain_text(re.compile("living room", re.I), timeout=60_000)
            expect(ceiling.locator(".tile-main")).to_have_attribute("aria-pressed", "false", timeout=30_000)
            expect(page.locator("#reply")).to_contain_text("the ceiling light", timeout=30_000)  # its English alias

            page.click(".voice-check summary")  # 목소리 점검: the first sentence is the one the microphone says
            page.click('[data-voice="check"]')
            first = page.locator(".voice-check li").first
            expect(first).to_have_class("ok", timeout=60_000)
            expect(first).to_contain_text(re.compile("Heard: .*living room", re.I))
        finally:
            browser.close()
    assert httpx.get(f"{base}/api/devices/living_ceiling", headers=headers).json()["state"]["power"] is False
