"""The dashboard in a real browser (Debian's chromium, headless, driven by Playwright), at phone and desktop
sizes: switch rooms, toggle a light from its tile, open a detail sheet and set a temperature, talk, see a
timer near the top and hear when it finishes, read the chart's axes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests_web_support import DESKTOP, PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium
SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def _room(server: Server, room_id: str) -> dict[str, Any]:
    return next(r for r in server.api("GET", "/api/rooms") if r["id"] == room_id)


@SIZES
def test_room_tabs_show_each_rooms_devices(server: Server, dashboard: OpenDashboard, viewport: dict[str, int]) -> None:
    from playwright.sync_api import expect

    page = dashboard(viewport)
    expect(page.locator('[role=tab][aria-selected="true"]')).to_have_text("즐겨찾기")
    for room_id in ("master_bedroom", "kitchen"):
        room = _room(server, room_id)
        page.click(f'[role=tab][data-room="{room_id}"]')
        expect(page.locator(f'[role=tab][data-room="{room_id}"]')).to_have_attribute("aria-selected", "true")
        expect(page.locator("#tiles .tile")).to_have_count(len(room["devices"]))
        shown = page.locator("#tiles .tile").evaluate_all("tiles => tiles.map(t => t.dataset.device)")
        assert shown == room["devices"]


@SIZES
def test_toggle_a_light_from_its_tile(server: Server, dashboard: OpenDashboard, viewport: dict[str, int]) -> None:
    from playwright.sync_api import expect

    server.api("POST", "/api/devices/living_ceiling/commands", json={"intent": "turn_on"})
    page = dashboard(viewport)
    page.click('[role=tab][data-room="living"]')
    tile = page.locator('#tiles [data-device="living_ceiling"]')
    expect(tile.locator(".tile-main")).to_have_attribute("aria-pressed", "true")
    expect(tile.locator(".tile-state")).to_contain_text("켜짐")
    tile.locator(".tile-main").click()
    expect(tile.locator(".tile-main")).to_have_attribute("aria-pressed", "false")
    expect(tile.locator(".tile-state")).to_have_text("꺼짐")
    assert server.api("GET", "/api/devices/living_ceiling")["state"]["power"] is False
    tile.locator(".tile-main").click()
    expect(tile.locator(".tile-main")).to_have_attribute("aria-pressed", "true")
    assert server.api("GET", "/api/devices/living_ceiling")["state"]["power"] is True
    tile.locator(".tile-main").click(button="right")  # what a long press gives on a phone: the sheet, no toggle
    expect(page.locator("#sheet h2")).to_have_text("거실 천장등")
    assert server.api("GET", "/api/devices/living_ceiling")["state"]["power"] is True


@SIZES
def test_detail_sheet_sets_a_temperature(server: Server, dashboard: OpenDashboard, viewport: dict[str, int]) -> None:
    from playwright.sync_api import expect

    server.api(
        "POST",
        "/api/devices/living_ac/commands",
        json={"intent": "set", "params": {"property": "temperature", "value": 24}},
    )
    page = dashboard(viewport)
    page.click('[role=tab][data-room="living"]')
    page.click('#tiles [data-device="living_ac"] .tile-more')
    sheet = page.locator("#sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator("h2")).to_have_text("거실 에어컨")
    expect(sheet.locator(".step-value")).to_have_text("24°C")
    sheet.get_by_role("button", name="온도 올리기").click()
    expect(sheet.locator(".step-value")).to_have_text("24.5°C")  # redrawn from the device's own state event
    assert server.api("GET", "/api/devices/living_ac")["state"]["temperature"] == 24.5
    power = sheet.locator(".power-button")  # says what pressing it does
    expect(power).to_have_text("켜기" if not server.api("GET", "/api/devices/living_ac")["state"]["power"] else "끄기")
    sheet.get_by_role("button", name="닫기").click()
    expect(sheet).to_be_hidden()


def test_talk_timer_near_the_top_and_its_end_announced(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    server.api("POST", "/api/devices/living_stand/commands", json={"intent": "turn_on"})
    page = dashboard(PHONE)
    page.click('[role=tab][data-room="living"]')
    page.fill("#say-input", "거실 스탠드 꺼줘")
    page.press("#say-input", "Enter")
    expect(page.locator("#reply")).to_contain_text("스탠드")
    expect(page.locator('#tiles [data-device="living_stand"] .tile-main')).to_have_attribute("aria-pressed", "false")

    page.fill("#say-input", "10분 타이머 맞춰줘")
    page.press("#say-input", "Enter")
    job = page.locator("#jobs li").first
    expect(job).to_contain_text("타이머")
    expect(job.locator(".job-when")).to_have_text(re.compile(r"^(10|9)분 남음$"))
    jobs_top = page.locator("#jobs-panel").bounding_box()
    tiles_top = page.locator("#tiles").bounding_box()
    assert jobs_top is not None and tiles_top is not None and jobs_top["y"] < tiles_top["y"]  # seen before the tiles

    page.fill("#say-input", "2초 타이머 맞춰줘")
    page.press("#say-input", "Enter")
    expect(page.locator("#notices .notice")).to_contain_text("타이머가 끝났어요", timeout=15_000)


def test_chart_has_time_and_value_axes(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    chart = page.locator("#chart svg")
    expect(chart).to_be_visible()
    assert chart.locator("text.tick.x").count() >= 3  # a clock time every six hours over the last day
    for label in chart.locator("text.tick.x").all_text_contents():
        assert re.fullmatch(r"\d\d:00", label)
    whole = chart.bounding_box()
    for tick in chart.locator("text.tick.x").all():  # none cut off at the chart's edges
        box = tick.bounding_box()
        assert whole and box and whole["x"] <= box["x"] and box["x"] + box["width"] <= whole["x"] + whole["width"] + 0.5
    values = chart.locator("text.tick.y").all_text_contents()
    assert len(values) >= 2 and all(v.endswith("°C") for v in values)


def test_login_page_offers_no_logout(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport=PHONE)
    page.goto(server.base + "/")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.get_by_role("button", name="로그아웃")).to_have_count(0)
    expect(page.locator("#account")).to_be_hidden()
    page.fill("#login-name", "admin")
    page.fill("#login-password", server.password)
    page.click("#login-form button[type=submit]")
    page.click("#account summary")
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    expect(page.locator("#who")).to_have_text("admin · 집주인")
    page.close()


def test_a_starred_device_joins_the_favourites(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    favourites = page.locator("#tiles .tile")
    expect(favourites.first).to_be_visible()
    assert page.locator('#tiles [data-device="kids_light"]').count() == 0
    page.click('[role=tab][data-room="kids_room"]')
    page.click('#tiles [data-device="kids_light"] .tile-more')
    star = page.locator("#sheet .star")
    expect(star).to_have_attribute("aria-pressed", "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    page.click('[role=tab][data-room="*favourites"]')
    expect(page.locator('#tiles [data-device="kids_light"]')).to_be_visible()
    page.reload()  # remembered on this device
    page.wait_for_selector("body[data-ready]", state="attached")
    expect(page.locator('#tiles [data-device="kids_light"]')).to_be_visible()


def test_a_reading_changing_leaves_the_sheets_controls_alone(server: Server, dashboard: OpenDashboard) -> None:
    """A sensor-like change (the washer counting down) redraws the readings, not the control in use."""
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    page.click('[role=tab][data-room="living"]')
    page.click('#tiles [data-device="living_ceiling"] .tile-more')
    slider = page.locator("#sheet #field-brightness")
    slider.focus()
    server.api("POST", "/api/devices/living_ceiling/commands", json={"intent": "turn_on"})
    expect(page.locator("#sheet .power-button")).to_have_text("끄기")  # power is a control: redrawn
    expect(page.locator("#sheet #field-brightness")).to_be_focused()  # and the focus kept
    page.keyboard.press("Escape")
    page.click('[role=tab][data-room="utility"]')
    page.click('#tiles [data-device="washer"] .tile-more')
    server.api("POST", "/api/devices/washer/commands", json={"intent": "start"})
    expect(page.locator("#sheet .sheet-state")).to_contain_text("동작 중")
    expect(page.locator("#sheet .sheet-readings")).to_contain_text("남음")
    page.evaluate(
        "for (const el of document.querySelectorAll('#sheet .power-button, #sheet .sheet-readings')) "
        "el.dataset.mark = 'before'"
    )
    # The cycle counts down each second: the readings are redrawn, the power button stays the same element.
    expect(page.locator("#sheet .sheet-readings:not([data-mark])")).to_be_visible()
    expect(page.locator("#sheet .power-button")).to_have_attribute("data-mark", "before")
    server.api("POST", "/api/devices/washer/commands", json={"intent": "stop"})


def test_unlocking_the_door_asks_first(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    server.api("POST", "/api/devices/front_door/commands", json={"intent": "lock"})
    page = dashboard(PHONE)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click('[role=tab][data-room="entrance"]')
    page.click('#tiles [data-device="front_door"] .tile-main')  # a lock's tile opens its sheet: no toggle by tap
    expect(page.locator("#sheet .sheet-state")).to_have_text("잠김")
    page.locator("#sheet .action-unlock").click()
    expect(page.locator("#sheet .sheet-state")).to_have_text("열림")
    assert asked == ["현관문: 정말 문을 열까요?"]
    expect(page.locator('#tiles [data-device="front_door"]')).to_have_class(re.compile(r"\bwarn\b"))
    server.api("POST", "/api/devices/front_door/commands", json={"intent": "lock"})
    expect(page.locator('#tiles [data-device="front_door"] .tile-state')).to_have_text("잠김")


def test_theme_choice_overrides_the_system(dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE, color_scheme="light")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.click("#account summary")
    expect(page.locator("#theme")).to_have_text("화면: 자동")
    page.click("#theme")
    expect(page.locator("#theme")).to_have_text("화면: 밝게")
    page.click("#theme")
    expect(page.locator("#theme")).to_have_text("화면: 어둡게")
    assert page.evaluate(background) != light
    page.reload()
    page.wait_for_selector("body[data-ready]", state="attached")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_a_tile_toggled_from_the_keyboard_keeps_the_focus(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    server.api("POST", "/api/devices/study_light/commands", json={"intent": "turn_off"})
    page = dashboard(PHONE)
    page.click('[role=tab][data-room="study"]')
    button = page.locator('#tiles [data-device="study_light"] .tile-main')
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")  # a new element: the tile was redrawn
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "false")
