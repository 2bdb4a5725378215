"""What the dashboard's browser tests share: one `jibsa serve` (the sample home, simulated appliances) a
module, one headless Debian chromium driven by Playwright, a logged-in session, and fresh pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests_web_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, OpenDashboard, Server, start_server, stop_server

NOT_ENTERED = ("#login:not([hidden])", "#unreachable:not([hidden])")
# How long `expect(...)` waits for what the page shows (a device's state event redrawing a tile, a sheet
# opening) before failing: as long as any other wait on the page. Playwright's 5 s default is a deadline,
# not a wait for the event, and a loaded machine (the load average at 12-20 on 2 cores) misses it.
EXPECT_MS = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`jibsa serve` on a free port, shared by one test module."""
    process, running = start_server(tmp_path_factory.mktemp("jibsa-data"))
    try:
        yield running
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def session_cookies(server: Server) -> list[dict[str, Any]]:
    """The admin's session, logged in once a module (logins are rate limited: five a minute from one address)."""
    response = httpx.post(server.base + "/api/login", json={"name": "admin", "password": server.password})
    assert response.status_code == 200, response.text
    return [{"name": name, "value": value, "url": server.base, "httpOnly": True, "sameSite": "Strict"}
            for name, value in response.cookies.items()]  # fmt: skip


@pytest.fixture
def dashboard(browser: Any, server: Server, session_cookies: list[dict[str, Any]]) -> Iterator[OpenDashboard]:
    """`dashboard(viewport, lang="ko", color_scheme="light", prepare=None, **context_options)`: a page in a
    fresh browser context (`prepare(context)` runs first), logged in, once the home is on screen. Its context
    closes after the test."""
    contexts: list[Any] = []

    def open_page(
        viewport: dict[str, int],
        lang: str = "ko",
        color_scheme: str = "light",
        prepare: Callable[[Any], None] | None = None,
        **options: Any,
    ) -> Any:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **options)
        contexts.append(context)
        if prepare is not None:
            prepare(context)
        context.add_cookies(session_cookies)
        context.add_init_script(f"localStorage.getItem('jibsa.lang') || localStorage.setItem('jibsa.lang', '{lang}')")
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda error: failed.append(f"error: {error}"))
        page.goto(server.base + "/")
        # The page's own outcome, whichever comes: the home on screen, or the login or "unreachable" shown.
        page.wait_for_selector(f"body[data-ready], {', '.join(NOT_ENTERED)}", state="attached")
        shown = [selector for selector in NOT_ENTERED if page.locator(selector).count()]
        assert not shown, f"the dashboard showed {shown} instead of the home: {failed}"
        return page

    yield open_page
    for context in contexts:
        context.close()
