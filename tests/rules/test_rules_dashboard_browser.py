"""The dashboard's rules part in a real browser (Debian's chromium via Playwright): a rule made by
talking appears in the list, a rule firing rings the bell and shows a toast, a rule is switched off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jibsa.testing.processes import start_serve, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
CEILING_ON = {
    "name": "천장등 알림",
    "do": [{"kind": "notify"}],
    "when": {"kind": "state", "device": "living_ceiling", "property": "power", "to": True},
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`jibsa serve` (the sample home) on a free port: (base URL, admin password, admin token)."""
    process, served = start_serve(tmp_path)
    try:
        yield served.base, served.password, served.token
    finally:
        stop(process)


def test_rules_and_notifications_live_in_the_dashboard(server: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, password, token = server
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{base}/api/devices/living_ceiling/commands", json={"intent": "turn_off"}, headers=headers)
    assert httpx.post(f"{base}/api/rules", json={"rule": CEILING_ON}, headers=headers).status_code == 201
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 420, "height": 1000}, locale="ko-KR")
            page.goto(base + "/")
            page.fill("input[name=name]", "admin")
            page.fill("input[name=password]", password)
            page.click("#login-form button[type=submit]")
            expect(page.locator(".rules-panel")).to_contain_text("천장등 알림")
            expect(page.locator("#live")).to_have_class(re.compile("up"))

            httpx.post(f"{base}/api/devices/living_ceiling/commands", json={"intent": "turn_on"}, headers=headers)
            expect(page.locator(".toast")).to_contain_text("거실 천장등이 켜졌어요.")
            expect(page.locator(".bell .count")).to_have_text("1")
            expect(page.locator(".rules-panel .fired")).to_contain_text("천장등 알림 — 거실 천장등이 켜졌어요.")
            page.click(".bell")
            expect(page.locator(".bell-list .note.unread")).to_contain_text("거실 천장등이 켜졌어요.")
            page.click(".bell-list .read-all")
            expect(page.locator(".bell .count")).to_have_count(0)

            page.fill("#say-input", "세탁 끝나면 알려줘")
            page.press("#say-input", "Enter")
            expect(page.locator("#reply")).to_contain_text("세탁기가 끝나면 알려 드릴게요. 이렇게 저장할까요?")
            page.fill("#say-input", "응")
            page.press("#say-input", "Enter")
            expect(page.locator(".rules-panel")).to_contain_text("세탁 끝나면 알려줘")

            ceiling_rule = page.locator("[data-rule]", has_text="천장등 알림")
            ceiling_rule.locator(".rule-switch").click()
            expect(ceiling_rule.locator(".rule-switch")).to_have_text("꺼짐")
            page.click("#lang")
            expect(page.locator(".rules-panel h2")).to_have_text("Rules")
        finally:
            browser.close()
    rules = httpx.get(f"{base}/api/rules", headers=headers).json()["rules"]
    assert sorted((r["name"], r["enabled"]) for r in rules) == [("세탁 끝나면 알려줘", True), ("천장등 알림", False)]
