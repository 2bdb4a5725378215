"""A new household's page on a phone: the weather is not set up yet (jibsa knows only where the data.go.kr
stand-in is, as `jibsa.yaml` would say, and has no key), so the owner sets it up on the page (a city of the 20,
a key; a wrong key is told plainly and changes nothing); and a notification that a later state resolves (the
door locked again) leaves the open page without a reload. The setup sheet is screenshot at 360 and 390 px,
light and dark, into artifacts/phone/, and checked with axe."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_dashboard_a11y import _serious_violations
from tests_web_support import ARTIFACTS, OpenDashboard, Server, needs_chromium

from jibsa.skills.weather.choice import CHOICE_FILE
from jibsa.testing.data_go_kr_server import SERVICE_KEY
from jibsa.testing.processes import start, start_serve, stop

pytestmark = needs_chromium
SHOTS = ARTIFACTS / "phone"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jibsa-data")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[Server]:
    """The data.go.kr stand-in, and `jibsa serve` told only where it is (no provider, no key)."""
    standin, printed = start([sys.executable, "-m", "jibsa.testing", "data-go-kr"], "AIRKOREA_BASE_URL")
    try:
        where = dict(line.strip().split("=", 1) for line in printed if "_BASE_URL=" in line)
        process, served = start_serve(data_dir, env=where)
        try:
            yield Server(served.base, served.password, served.token)
        finally:
            stop(process)
    finally:
        stop(standin)


def _phone(
    dashboard: OpenDashboard, width: int = 390, scheme: str = "light", lang: str = "ko"
) -> tuple[Any, list[str]]:
    page = dashboard({"width": width, "height": 800}, lang=lang, color_scheme=scheme)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.wait_for_selector(".slot-weather .wx-setup-open, .slot-weather .wx-line")
    return page, problems


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize(("scheme", "lang"), [("light", "ko"), ("dark", "ko"), ("light", "en")])
def test_the_setup_sheet_fits_the_phone(dashboard: OpenDashboard, width: int, scheme: str, lang: str) -> None:
    page, problems = _phone(dashboard, width, scheme, lang)
    page.click(".wx-setup-open")
    sheet = page.locator("dialog.wx-setup[open]")
    sheet.wait_for()
    assert page.locator("#wx-setup-city option").count() == 20
    link = page.locator(".wx-setup-how a")
    assert (link.get_attribute("href") or "").startswith("https://www.data.go.kr/")
    box = sheet.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    overflowing = page.evaluate("""() => [...document.querySelectorAll('dialog.wx-setup *')].filter((e) =>
      e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto' && e.tagName !== 'SELECT'
      || e.getBoundingClientRect().right > innerWidth + 0.5).map((e) => e.tagName + '.' + e.className)""")
    assert overflowing == []
    _shoot(page, f"weather-setup-{width}-{scheme}-{lang}")
    assert _serious_violations(page) == []
    assert problems == []


def test_a_member_is_told_who_can_set_it_up(server: Server, browser: Any) -> None:
    """Only an owner gets the setup: a member sees who can, and no button."""
    admin = {"Authorization": f"Bearer {server.token}"}
    made = httpx.post(
        server.base + "/api/users", headers=admin, json={"name": "kid", "role": "member", "password": "kid-password-1"}
    )
    assert made.status_code == 201, made.text
    login = httpx.post(server.base + "/api/login", json={"name": "kid", "password": "kid-password-1"})
    assert login.status_code == 200, login.text
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        context.add_cookies([{"name": k, "value": v, "url": server.base} for k, v in login.cookies.items()])
        page = context.new_page()
        page.goto(server.base + "/")
        page.wait_for_selector(".slot-weather .wx-unset")
        assert page.locator(".slot-weather").inner_text().split("\n")[-1] == "집 주인 계정에서 설정할 수 있어요."
        assert page.locator(".wx-setup-open").count() == 0 and page.locator("dialog.wx-setup").count() == 0
        assert httpx.get(server.base + "/api/weather/setup", cookies=login.cookies).status_code == 403
    finally:
        context.close()


def test_a_wrong_key_is_told_and_the_right_one_sets_the_weather(
    server: Server, dashboard: OpenDashboard, data_dir: Path
) -> None:
    from playwright.sync_api import expect

    page, problems = _phone(dashboard)
    page.click(".wx-setup-open")
    page.select_option("#wx-setup-city", "부산")
    page.fill("#wx-setup-key", "a-key-data-go-kr-never-issued")
    page.click("dialog.wx-setup .primary-button")
    error = page.locator(".wx-setup-error")
    expect(error).to_contain_text("data.go.kr가 이 서비스 키를 받아 주지 않았어요.")
    expect(error).to_contain_text("설정은 바뀌지 않았어요.")
    _shoot(page, "weather-setup-wrong-key-390-light")
    assert not (data_dir / CHOICE_FILE).exists()
    assert server.api("GET", "/api/weather")["available"] is False

    page.fill("#wx-setup-key", SERVICE_KEY)
    page.click("dialog.wx-setup .primary-button")
    expect(page.locator("dialog.wx-setup")).not_to_be_visible()
    expect(page.locator(".slot-weather .wx-line .wx-city")).to_have_text("부산")  # no reload, no restart
    kept = data_dir / CHOICE_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and json.loads(kept.read_text())["city"] == "부산"
    reply = server.api("POST", "/api/conversation", json={"text": "오늘 날씨 어때?"})["reply"]
    assert reply.startswith("부산") or "부산" in reply, reply
    audit = [row for row in server.api("GET", "/api/audit") if row["action"] == "weather_setup"]
    assert [row["ok"] for row in audit] == [True, False]  # newest first
    assert SERVICE_KEY not in json.dumps(audit)

    page.click(".wx-line")
    page.click(".wx-setup-change")
    expect(page.locator("#wx-setup-key")).to_have_value("")  # the key is never sent back
    assert "저장된 키" in (page.get_attribute("#wx-setup-key", "placeholder") or "")
    _shoot(page, "weather-setup-change-390-light")
    page.click(".wx-setup-cancel")
    assert [p for p in problems if "status of 422" not in p] == []  # the refused key's answer, and nothing else


def test_a_resolved_notification_leaves_the_open_page(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    for text in ("현관문 열리면 알려줘", "응"):
        server.api("POST", "/api/conversation", json={"text": text})
    page, problems = _phone(dashboard)
    page.click(".bell")
    door = f"{server.base}/api/devices/front_door/commands"
    asked = httpx.post(door, json={"intent": "unlock"}, headers={"Authorization": f"Bearer {server.token}"})
    assert asked.status_code == 409, asked.text  # opening asks first; then it is said again with a yes
    server.api("POST", "/api/devices/front_door/commands", json={"intent": "unlock", "confirm": True})
    note = page.locator(".bell-list .note", has_text="현관문")
    expect(note).to_have_count(1)  # came live
    expect(page.locator(".bell .count")).to_have_text("1")
    server.api("POST", "/api/devices/front_door/commands", json={"intent": "lock"})
    expect(note).to_have_count(0)  # the door is locked again: it leaves without a reload
    expect(page.locator(".bell .count")).to_have_count(0)
    expect(page.locator(".bell-list .empty")).to_be_visible()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert problems == []
