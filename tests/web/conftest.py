"""What the dashboard's browser tests share: one `jibsa serve` (the sample home, simulated appliances) a
module, one headless Debian chromium driven by Playwright, a logged-in session, and fresh pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests_web_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, OpenDashboard, Server, start_server, stop_server


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
    from playwright.sync_api import sync_playwright

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
        page.goto(server.base + "/")
        page.wait_for_selector("body[data-ready]", state="attached")
        return page

    yield open_page
    for context in contexts:
        context.close()
