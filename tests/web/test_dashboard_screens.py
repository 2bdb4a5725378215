"""The dashboard as people get it, at phone (390×844), tablet (820×1180) and desktop (1440×900), light and
dark: screenshots saved under artifacts/ to look at, and the layout's promises checked on each — nothing
wider than the screen, a one-line header, two or more tiles a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests_web_support import DESKTOP, PHONE, TABLET, OpenDashboard, needs_chromium

pytestmark = needs_chromium
SCREENS = [(name, size, scheme) for name, size in (("phone", PHONE), ("tablet", TABLET), ("desktop", DESKTOP))
           for scheme in ("light", "dark")]  # fmt: skip


def _tiles_in_first_row(page: Any) -> int:
    tops: list[float] = page.locator("#tiles .tile").evaluate_all("ts => ts.map(t => t.getBoundingClientRect().top)")
    return sum(1 for top in tops if abs(top - tops[0]) < 1)


@pytest.mark.parametrize(("name", "viewport", "scheme"), SCREENS, ids=[f"{n}-{s}" for n, _, s in SCREENS])
def test_screen(dashboard: OpenDashboard, artifacts: Path, name: str, viewport: dict[str, int], scheme: str) -> None:
    page = dashboard(viewport, color_scheme=scheme)
    page.wait_for_selector("#chart svg")
    shot = artifacts / f"dashboard-{name}-{scheme}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 64  # one line, even on a phone
    assert _tiles_in_first_row(page) >= 2
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(18, 23, 22)") == (scheme == "dark")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_detail_sheet_screen(dashboard: OpenDashboard, artifacts: Path, scheme: str) -> None:
    page = dashboard(PHONE, color_scheme=scheme)
    page.click('[role=tab][data-room="living"]')
    page.click('#tiles [data-device="living_ceiling"] .tile-more')
    page.wait_for_selector("#sheet[open]")
    sheet = page.locator("#sheet").bounding_box()
    assert sheet is not None and abs(sheet["y"] + sheet["height"] - PHONE["height"]) < 2  # a sheet from the bottom
    page.screenshot(path=str(artifacts / f"dashboard-phone-{scheme}-sheet.png"))


def test_login_screen(server: Any, browser: Any, artifacts: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(server.base + "/")
    page.wait_for_selector("#login-form")
    page.screenshot(path=str(artifacts / "dashboard-phone-login.png"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.close()
