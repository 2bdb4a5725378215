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


def _tile_state(page: Any, device: str) -> Any:
    return page.locator(f'#tiles [data-device="{device}"] .tile-state')


@pytest.mark.parametrize(("lang", "set_to"), [("ko", "설정"), ("en", "set to")])
def test_an_off_air_conditioner_shows_the_temperature_it_keeps(
    server: Server, dashboard: OpenDashboard, lang: str, set_to: str
) -> None:
    """Off, the air conditioner still keeps its target: the tile says it after "꺼짐", dimmed."""
    from playwright.sync_api import expect

    ac = next(d for d in server.api("GET", "/api/devices") if d["id"] == "master_ac")
    assert ac["state"]["power"] is False
    parts = ac["summary"][lang].split(" · ")
    parts.insert(1, f"{set_to} {ac['state']['temperature']:g}°C")
    page = dashboard(PHONE, lang=lang)
    expect(_tile_state(page, "master_ac")).to_have_text(" · ".join(parts))
    idle = _tile_state(page, "master_ac").locator(".tile-idle")
    assert idle.inner_text() == parts[1]
    colour = "e => getComputedStyle(e).color"
    assert idle.evaluate(colour) != _tile_state(page, "master_ac").locator(".tile-part").first.evaluate(colour)


def test_turned_on_the_target_is_said_as_it_is_used(server: Server, dashboard: OpenDashboard) -> None:
    """Turned on from its tile, the air conditioner's target is no longer dimmed: it is what it runs at."""
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    tile = page.locator('#tiles [data-device="master_ac"]')
    tile.locator(".tile-main").click()
    expect(tile.locator(".tile-main")).to_have_attribute("aria-pressed", "true")  # the device's own state says so
    target = next(d for d in server.api("GET", "/api/devices") if d["id"] == "master_ac")["state"]["temperature"]
    expect(tile.locator(".tile-state")).to_contain_text(f"켜짐 · 설정 {target:g}°C")
    assert tile.locator(".tile-idle").count() == 0
    tile.locator(".tile-main").click()  # off again, as the module's other tests found it
    expect(tile.locator(".tile-main")).to_have_attribute("aria-pressed", "false")


# Each glyph of each tile's state with the top of its line: whether a " · " ends a line, and whether the
# state wraps at all (a check on states that never wrap would say nothing).
SEPARATORS_AT_LINE_ENDS = """() => [...document.querySelectorAll("#tiles .tile-state")].map((state) => {
  const glyphs = [];
  const walker = document.createTreeWalker(state, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      glyphs.push({ ch: node.data[i], top: box.top, half: box.height / 2, right: box.right });
    }
  }
  const below = (a, b) => b.top > a.top + a.half;
  const edge = state.getBoundingClientRect().left;  // a glyph left of it is clipped, not seen
  const seen = (g) => g.right > edge + 0.5;
  return { text: state.textContent, wraps: glyphs.length > 1 && below(glyphs[0], glyphs[glyphs.length - 1]),
    dangling: glyphs.some((g, i) => g.ch === "·" && (i + 1 === glyphs.length || below(g, glyphs[i + 1]))),
    leading: glyphs.some((g, i) => g.ch === "·" && seen(g) && (i === 0 || below(glyphs[i - 1], g))),
    clipped: glyphs.some((g) => g.ch !== "·" && !seen(g)) };
})"""


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [360, 390])  # phone widths where tiles sit two abreast and states wrap
def test_a_wrapped_tile_state_neither_ends_nor_starts_a_line_with_its_separator(
    dashboard: OpenDashboard, lang: str, width: int
) -> None:
    page = dashboard({"width": width, "height": 844}, lang=lang)
    page.wait_for_selector('#tiles [data-device="master_ac"] .tile-idle')
    states = page.evaluate(SEPARATORS_AT_LINE_ENDS)  # the favourites: an off air conditioner's long state among them
    assert any(s["wraps"] for s in states), states  # some state is long enough to wrap on a phone
    assert [s["text"] for s in states if s["dangling"]] == []
    assert [s["text"] for s in states if s["leading"]] == []  # "· 현재 28°C" opened a wrapped line on a phone
    assert [s["text"] for s in states if s["clipped"]] == []  # the shift that hides it hides no letter
