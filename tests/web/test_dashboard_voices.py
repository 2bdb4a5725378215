"""The voice enrolment sheet in a real browser at phone size: "목소리 등록해줘" typed to the home opens it
with the five sentences; Chromium's fake microphone reads one (an espeak-ng recording, a stand-in voice),
the page streams it to `jibsa serve` and the sentence is marked enrolled; the owner switches "낯선 목소리는
손님으로" off; the person's recordings are deleted from the sheet. Screenshots at 390 px go to
artifacts/phone/voices-*.png."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from tests_web_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE, OpenDashboard, Server, needs_chromium

pytestmark = [
    *needs_chromium,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng, sox"),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium whose microphone plays one spoken sentence, then silence (the end of speech)."""
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("microphone")
    said, padded = folder / "said.wav", folder / "microphone.wav"
    text = "Turn the living room light on softly this evening."
    subprocess.run(["espeak-ng", "-v", "en+f4", "-s", "150", "-w", str(said), text], check=True)
    subprocess.run(["sox", str(said), "-r", "48000", str(padded), "pad", "0.3", "4"], check=True)
    microphone = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={padded}",
    ]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + microphone, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def test_asking_opens_the_sheet_and_a_sentence_read_into_the_microphone_is_enrolled(
    dashboard: OpenDashboard, server: Server
) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    page.fill("#say-input", "목소리 등록해줘")
    page.keyboard.press("Enter")
    sheet = page.locator('[data-voices="sheet"]')
    expect(sheet).to_be_visible(timeout=10_000)
    expect(sheet.locator(".voices-sentences li")).to_have_count(5)
    expect(sheet.locator(".voices-sentences li").first).to_contain_text("오늘 저녁에는 거실 불을")
    expect(sheet.locator('[data-voices="strangers"]')).to_be_checked()
    page.select_option('[data-voices="room"]', "master_bedroom")
    (ARTIFACTS / "phone").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone" / "voices-sheet.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the sheet is {width} px wide on a {PHONE['width']} px phone"

    record = sheet.locator('[data-voices="record-0"]')
    record.click()
    expect(record).to_have_text("● 녹음 중 (누르면 끝)")
    expect(record).to_have_text("등록됨", timeout=90_000)  # the server heard the end of speech and kept it
    page.screenshot(path=str(ARTIFACTS / "phone" / "voices-enrolled.png"))
    listed = server.api("GET", "/api/voices")
    [admin] = listed["people"]
    assert admin["name"] == "admin" and len(admin["samples"]) == 1 and admin["room"] == "master_bedroom"
    expect(sheet.locator('[data-voices-person="admin"]')).to_contain_text("admin: 녹음 1개")

    sheet.locator('[data-voices="strangers"]').uncheck()
    expect(sheet.locator('[data-voices="strangers"]')).not_to_be_checked()
    assert server.api("GET", "/api/voices")["strangers_as_guests"] is False

    sheet.locator('[data-voices-person="admin"] button').click()
    expect(sheet.locator('[data-voices-person="admin"]')).to_have_count(0)
    assert server.api("GET", "/api/voices")["people"] == []
    sheet.get_by_role("button", name="닫기").click()
    expect(sheet).to_be_hidden()
    expect(page.locator('[data-voices="summary"]')).to_have_text("등록된 목소리가 없어요.")
