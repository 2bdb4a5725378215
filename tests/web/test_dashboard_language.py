"""The dashboard in the chosen language, in a real browser (Debian's chromium via Playwright): the
English page shows no Hangul and the Korean page no English words, beyond the home's own names,
units and the switch to the other language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS, server  # noqa: F401 - the `server` fixture

from jibsa.home_file import load_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin that belongs on the Korean page: the switch to English, units, formats, names of things.
LATIN_ALLOWED = {"English", "PM", "CO", "PIN", "ppm", "TV", "jibsa"}
OTHER_LANGUAGE_SWITCH = {"ko": "English", "en": "한국어"}


def _names() -> list[str]:
    home = load_home(None).home
    names = [home.name, home.city, *(r.name for r in home.rooms), *(d.name for d in home.devices),
             *(s.name for s in home.scenes), *(d.maker for d in home.devices if d.maker)]  # fmt: skip
    return sorted(set(names), key=len, reverse=True)


def _page_texts(base: str, password: str) -> Iterator[tuple[str, str, str]]:
    """(page, language, its visible text) for the login page and the dashboard, in both languages;
    and ("login buttons", "", the login page's visible buttons)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400}, locale="ko-KR")
            page.goto(base + "/")
            yield "login", "ko", page.inner_text("body")
            yield "login buttons", "", " | ".join(b.inner_text() for b in page.locator("button:visible").all())
            page.fill("input[name=name]", "admin")
            page.fill("input[name=password]", password)
            page.click("#login-form button[type=submit]")
            page.wait_for_selector('[data-device="living_ceiling"]')
            page.wait_for_selector("#live.up")
            yield "dashboard", "ko", page.inner_text("body")
            page.click("#lang")
            page.wait_for_selector("#say-form button[type=submit]:text('Say')")
            yield "dashboard", "en", page.inner_text("body")
        finally:
            browser.close()


def _leaks(text: str, language: str) -> list[str]:
    for name in _names():
        text = text.replace(name, " ")
    text = text.replace(OTHER_LANGUAGE_SWITCH[language], " ")
    if language == "en":
        return sorted(set(HANGUL.findall(text)))
    return sorted({w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED})


# Known, and the dashboard's (src/jibsa/web, being redesigned by another engineer; the API's device
# `summary` {ko, en} now carries the words it needs). Anything else fails; when these are gone, it passes.
KNOWN_DASHBOARD_LEAKS = {
    "dashboard (ko)": {"owner"},  # "admin (owner)"
    "dashboard (en)": {"실시간", "온도", "습도", "배터리", "표준"},
    "login (ko)": {"logout button"},
}


def test_every_word_on_the_page_is_in_its_language(server: tuple[str, str, str]) -> None:  # noqa: F811
    base, password, _ = server
    seen = {f"{page} ({language})": text for page, language, text in _page_texts(base, password)}
    leaks = {page: set(_leaks(seen[page], page[-3:-1])) - {"admin"} for page in KNOWN_DASHBOARD_LEAKS}
    if "로그아웃" in seen["login buttons ()"]:
        leaks["login (ko)"].add("logout button")
    unknown = {page: found - KNOWN_DASHBOARD_LEAKS[page] for page, found in leaks.items()}
    assert unknown == {page: set() for page in leaks}
    if any(leaks.values()):
        pytest.xfail(f"the dashboard still shows {leaks} (src/jibsa/web: its owner's to fix)")
