"""An accessibility check with axe-core (vendored in tests/web/vendor from the npm registry, injected by
the test): no serious or critical violation on the login page, the home at phone and desktop sizes in
light and dark, or an open detail sheet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests_web_support import DESKTOP, PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}"""


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())  # evaluated by the browser's debugger: the page's CSP stays as it is
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_login_page(server: Server, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(server.base + "/")
    page.wait_for_selector("#login-form")
    assert _serious_violations(page) == []
    page.close()


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")],
    ids=["phone-light", "phone-dark", "desktop-light", "desktop-dark"],
)
def test_home(dashboard: OpenDashboard, viewport: dict[str, int], scheme: str) -> None:
    page = dashboard(viewport, color_scheme=scheme)
    assert _serious_violations(page) == []


def test_the_home_is_whole_before_the_page_parts_data_come(dashboard: OpenDashboard) -> None:
    """Page parts are whole from the start; on a slow server the bell had no name until the
    notifications came (CI), the voices' button until the voices came. Their data (notifications, rules,
    weather, devices awaiting adoption, voices) never comes here."""
    slow = re.compile(r"/api/(notifications|rules|weather|discovered|voices)(\?.*)?$")
    page = dashboard(PHONE, prepare=lambda context: context.route(slow, lambda route: None))
    page.wait_for_selector(".bell")
    assert _serious_violations(page) == []
    assert page.get_attribute(".bell", "aria-label") == "알림"


@pytest.mark.parametrize(("scheme", "lang"), [("light", "ko"), ("dark", "en")])
def test_detail_sheet(dashboard: OpenDashboard, scheme: str, lang: str) -> None:
    page = dashboard(PHONE, lang=lang, color_scheme=scheme)
    page.click('[role=tab][data-room="living"]')
    page.click('#tiles [data-device="living_ac"] .tile-more')
    page.wait_for_selector("#sheet[open]")
    assert _serious_violations(page) == []


def test_the_check_finds_a_violation(dashboard: OpenDashboard) -> None:
    """The check can fail: a button with no name is reported."""
    page = dashboard(PHONE)
    page.evaluate("document.querySelector('#tiles').append(document.createElement('button'))")
    assert any(v["id"] == "button-name" for v in _serious_violations(page))
