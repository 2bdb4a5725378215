"""The weather strip in a real browser (Debian's chromium through Playwright), at phone and desktop
sizes: `jibsa serve` with KMA and AirKorea pointed at the data.go.kr stand-in (its own process);
the home's city in detail, the 20 cities, both languages; screenshots saved in artifacts/."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jibsa.skills.weather import strip_cities
from jibsa.testing.processes import start, start_serve, stop

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium); never `playwright install`",
    ),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The stand-in, then `jibsa serve` told to use it: (base URL, admin password)."""
    standin, printed = start([sys.executable, "-m", "jibsa.testing", "data-go-kr"], "AIRKOREA_BASE_URL")
    try:
        env = dict(line.strip().split("=", 1) for line in printed if line.startswith("JIBSA_WEATHER_"))
        jibsa, served = start_serve(tmp_path, env=env)
        try:
            yield served.base, served.password
        finally:
            stop(jibsa)
    finally:
        stop(standin)


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
