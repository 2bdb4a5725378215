"""The words a tile shows for a device's key state (web/states.js), in both languages, from the cases in
data/state_words.yaml — run in the browser, on the sample home's real devices with the case's state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium
CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "data" / "state_words.yaml").read_text("utf-8"))
KEY_STATES = """async ({ cases, lang }) => {
  const { loadLanguage } = await import("/static/i18n.js");
  const { keyState } = await import("/static/states.js");
  await loadLanguage(lang);
  return cases.map(({ device, state, summary, available }) => keyState(lang, {
    ...device, state: { ...device.state, ...state }, summary, available: available ?? true }));
}"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_key_state_words(server: Server, dashboard: OpenDashboard, lang: str) -> None:
    devices = {d["id"]: d for d in server.api("GET", "/api/devices")}
    page = dashboard(PHONE)
    cases = [{**case, "device": devices[case["device"]]} for case in CASES]
    shown = page.evaluate(KEY_STATES, {"cases": cases, "lang": lang})
    expected = [case[lang] for case in CASES]
    assert shown == expected


def test_a_tile_shows_the_apis_summary(server: Server, dashboard: OpenDashboard) -> None:
    """When `GET /api/devices` words a device's state itself, the tile shows those words."""
    import json

    from playwright.sync_api import expect

    def add_summary(route: Any) -> None:
        devices = route.fetch().json()
        for device in devices:
            if device["id"] == "front_door":
                device["summary"] = {"ko": "잠김 · 배터리 80%", "en": "Locked · battery 80%"}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(devices))

    page = dashboard(
        PHONE, prepare=lambda context: context.route("**/api/devices", add_summary), service_workers="block"
    )
    expect(page.locator('#tiles [data-device="front_door"] .tile-state')).to_have_text("잠김 · 배터리 80%")
    page.click("#lang")
    expect(page.locator('#tiles [data-device="front_door"] .tile-state')).to_have_text("Locked · battery 80%")
