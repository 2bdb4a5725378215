"""Page parts from other modules (extensions.js): each is imported, mounted into its named slot with the
page's context, hears the live events; one that fails is reported on the page and the rest still work.
The test serves its own extensions.js, listing only its own parts."""

from __future__ import annotations

import re
from typing import Any

from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium
PARTS = {
    "extensions.js": None,  # the shipped module, with a list naming the two parts below
    "test-weather.js": """export function mount(container, ctx) {
  container.textContent = `${ctx.home.name} ${ctx.lang} ${ctx.devices().length}`;
  ctx.onEvent((event) => { if (event.type === "state_changed") container.dataset.last = event.device; });
}""",
    "test-broken.js": "export function mount() { throw new Error('broken on purpose'); }",
}
SLOTS = {"mic": "#say-form", "weather": ".primary", "bell": "header.top", "rules": ".secondary"}


def _serve_parts(server: Server) -> Any:
    import httpx

    shipped = httpx.get(f"{server.base}/static/extensions.js").text
    parts = '{ module: "./test-weather.js", slot: "weather" }, { module: "./test-broken.js", slot: "rules" },'
    listed = re.sub(
        r"export const EXTENSIONS = \[.*?\];", f"export const EXTENSIONS = [{parts}];", shipped, flags=re.S
    )  # only the test's parts: the shipped ones would fill the same slots
    assert listed != shipped

    def answer(body: str) -> Any:
        return lambda route: route.fulfill(status=200, content_type="text/javascript", body=body)

    def prepare(context: Any) -> None:
        for name, body in PARTS.items():
            context.route(f"**/static/{name}", answer(body or listed))

    return prepare


def test_parts_mount_in_their_slots_and_hear_events(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE, prepare=_serve_parts(server), service_workers="block")
    weather = page.locator('[data-slot="weather"]')
    count = len(server.api("GET", "/api/devices"))
    expect(weather).to_have_text(f"한빛네 집 ko {count}")
    server.api("POST", "/api/devices/study_light/commands", json={"intent": "turn_on"})
    expect(weather).to_have_attribute("data-last", "study_light")
    expect(page.locator("#notices .notice")).to_have_text("화면 일부를 불러오지 못했어요")
    page.fill("#say-input", "서재 조명 꺼줘")  # the page still works
    page.press("#say-input", "Enter")
    expect(page.locator("#reply")).to_contain_text("서재")


def test_every_slot_is_where_the_layout_promises(dashboard: OpenDashboard) -> None:
    page = dashboard(PHONE)
    for slot, parent in SLOTS.items():
        assert page.locator(f'{parent} [data-slot="{slot}"]').count() == 1, slot
