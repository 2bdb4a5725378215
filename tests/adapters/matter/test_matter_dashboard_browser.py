"""The dashboard's "매터 기기 추가" sheet in Debian's chromium at phone size, against `jibsa serve` and the
Matter lab: an owner types a virtual light's code, follows the progress, names and places the light, and
taps its tile; the light's own state shows it. The screenshot goes to artifacts/ to be looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from matter_support import HOME_FILE

from jibsa.testing.matter_lab import MatterLab
from jibsa.testing.processes import ServedHome, start_serve, stop

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def served(lab: MatterLab, tmp_path: Path) -> Iterator[ServedHome]:
    config = tmp_path / "jibsa.yaml"
    config.write_text(f'matter: {{url: "{lab.url}", start_wait_s: 30}}\n', encoding="utf-8")
    process, home = start_serve(tmp_path / "data", "--home", HOME_FILE, "--config", str(config))
    try:
        yield home
    finally:
        stop(process)


def test_an_owner_adds_a_light_on_the_phone_and_taps_it_on(lab: MatterLab, served: ServedHome) -> None:
    from playwright.sync_api import expect, sync_playwright

    devices = lab.devices(("light", "lamp"))
    login = httpx.post(served.base + "/api/login", json={"name": "admin", "password": served.password})
    assert login.status_code == 200, login.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
            context.add_cookies([{"name": k, "value": v, "url": served.base} for k, v in login.cookies.items()])
            page = context.new_page()
            page.goto(served.base + "/")
            page.get_by_role("button", name="매터 기기 추가").click()
            page.get_by_label("페어링 코드 (11자리 숫자)").fill(devices.devices["lamp"].manual_code)
            page.get_by_role("button", name="추가하기").click()
            expect(page.locator("[data-matter-stage=added]")).to_contain_text("추가했어요", timeout=60_000)
            page.locator("#matter-name").fill("스탠드")
            page.locator("#matter-room").select_option("living")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "matter-sheet-phone.png"))
            page.get_by_role("button", name="저장").click()
            tile = page.locator(".tile", has_text="거실 스탠드")
            expect(tile).to_be_visible(timeout=30_000)
            tile.first.click()  # a tap toggles
            devices.wait_state("lamp", 30.0, onOff=True)  # the light's own state
            page.screenshot(path=str(ARTIFACTS / "matter-added-phone.png"))
        finally:
            browser.close()


def qr_modules(art: str) -> list[list[bool]]:
    """matter.js's printed QR code (each character two modules high) as rows of modules, True = drawn."""
    upper = {"█": True, "▀": True}
    lower = {"█": True, "▄": True}
    rows: list[list[bool]] = []
    for line in art.splitlines():
        rows.append([upper.get(c, False) for c in line])
        rows.append([lower.get(c, False) for c in line])
    return rows


def test_the_sheets_qr_reader_reads_a_devices_qr_code(lab: MatterLab, served: ServedHome) -> None:
    """The camera's fallback reader (ZXing, vendored) decodes the code a virtual device shows, drawn on a
    canvas as a camera frame would be; chromium's camera is not reachable in a headless test."""
    from playwright.sync_api import sync_playwright

    device = lab.devices(("plug", "qr")).devices["qr"]
    modules = qr_modules(device.qr_art)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(served.base + "/")
            read = page.evaluate(
                """async (modules) => {
              const { readQr } = await import("/static/matter.js");
              for (const drawnIsDark of [true, false]) {
                const canvas = document.createElement("canvas");
                const size = 8, quiet = 4 * size;
                canvas.width = canvas.height = modules.length * size + 2 * quiet;
                const g = canvas.getContext("2d");
                g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
                g.fillStyle = "#000";
                modules.forEach((row, y) => row.forEach((drawn, x) => {
                  if (drawn === drawnIsDark) g.fillRect(quiet + x * size, quiet + y * size, size, size);
                }));
                const text = await readQr(canvas);
                if (text) return text;
              }
              return null;
            }""",
                modules,
            )
        finally:
            browser.close()
    assert read == device.qr_code
