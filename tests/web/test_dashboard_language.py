"""Every word a person sees in the chosen language: the English page has no Hangul beyond the home's own
names, the Korean page no English beyond TV, LG, units and those names. Scanned over every room tab, a
pending schedule and timer, and the detail sheets of an air conditioner and a washer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium

# What a person reads: text nodes and labels, skipping what is hidden and what is marked as another language
# (the language switch names its language in that language, as language menus do).
VISIBLE_WORDS = """() => {
  const page = document.documentElement.lang;
  const shown = (el) => el && !el.closest("[hidden], dialog:not([open])")
    && (el.closest("[lang]") || document.documentElement).lang === page;
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) if (shown(walker.currentNode.parentElement)) texts.push(walker.currentNode.textContent);
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    if (!shown(el)) continue;
    for (const name of ["aria-label", "placeholder", "title"]) texts.push(el.getAttribute(name) || "");
  }
  return texts.map((t) => t.trim()).filter(Boolean);
}"""
KOREAN_PAGE_ENGLISH = {
    "TV",
    "LG",
    "ppm",  # brand and unit words Korean uses as they are
    "kWh",
    "Wh",  # the energy panel's unit, as the KEPCO bill writes it
    "jibsa",
    "yaml",
    "weather",
}  # a setting quoted as it is typed: jibsa.yaml's weather


def _home_names(server: Server) -> list[str]:
    """Names from the home itself (devices, rooms, scenes, makers, the home, the user): allowed in either language."""
    devices = server.api("GET", "/api/devices")
    names = [d["name"] for d in devices] + [d["maker"] for d in devices if d["maker"]]
    names += [r["name"] for r in server.api("GET", "/api/rooms")]
    names += [s["name"] for s in server.api("GET", "/api/scenes")]
    names += [server.api("GET", "/api/home")["name"], "admin"]
    return sorted(set(names), key=len, reverse=True)


def _without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


def _everything_a_person_sees(page: Any) -> list[str]:
    texts: list[str] = list(page.evaluate(VISIBLE_WORDS))
    for tab in page.locator("[role=tab]").all():
        tab.click()
        texts += page.evaluate(VISIBLE_WORDS)
    for device, room in (("living_ac", "living"), ("washer", "utility"), ("living_sensor", "living")):
        page.click(f'[role=tab][data-room="{room}"]')
        tile = page.locator(f'#tiles [data-device="{device}"]')
        (tile.locator(".tile-more") if tile.locator(".tile-more").count() else tile.locator(".tile-main")).click()
        page.wait_for_selector("#sheet[open]")
        texts += page.evaluate(VISIBLE_WORDS)
        page.keyboard.press("Escape")
    page.click("#account summary")
    texts += page.evaluate(VISIBLE_WORDS)
    return texts


@pytest.fixture(scope="module", autouse=True)
def _pending_jobs(server: Server) -> None:
    """A timer and a scheduled command, so that the jobs panel has words to check."""
    for text in ("10분 타이머 맞춰줘", "30분 뒤에 보일러 꺼"):
        assert server.api("POST", "/api/conversation", json={"text": text})["commands"]


def test_english_page_has_no_hangul_beyond_the_homes_names(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE, lang="en")
    expect(page.locator("#jobs li")).to_have_count(2)
    names = _home_names(server)
    hangul = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
    leaks = {text for text in _everything_a_person_sees(page) if hangul.search(_without_names(text, names))}
    assert not leaks, f"Korean on the English page: {sorted(leaks)}"


def test_korean_page_has_no_english_beyond_the_allowed_words(server: Server, dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE, lang="ko")
    expect(page.locator("#jobs li")).to_have_count(2)
    names = _home_names(server)
    leaks = {
        word for text in _everything_a_person_sees(page)
        for word in re.findall(r"[A-Za-z]{2,}", _without_names(text, names)) if word not in KOREAN_PAGE_ENGLISH
    }  # fmt: skip
    assert not leaks, f"English on the Korean page: {sorted(leaks)}"


def test_the_scan_notices_a_leak(server: Server, dashboard: OpenDashboard) -> None:
    """The check itself can fail: an English word put on the Korean page is found."""
    page = dashboard(PHONE, lang="ko")
    page.evaluate("document.querySelector('#reply').textContent = 'turn_off'")
    words = [w for t in page.evaluate(VISIBLE_WORDS) for w in re.findall(r"[A-Za-z]{2,}", t)]
    assert "turn" in words


def test_switching_language_rewrites_the_page(dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE, lang="ko")
    expect(page.locator('[role=tab][aria-selected="true"]')).to_have_text("즐겨찾기")
    page.click("#lang")
    expect(page.locator('[role=tab][aria-selected="true"]')).to_have_text("Favourites")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lang")).to_have_text("한국어")
    page.reload()
    page.wait_for_selector("body[data-ready]", state="attached")
    expect(page.locator("#say-input")).to_have_attribute("placeholder", "e.g. turn off the living room light")


def test_scenes_are_named_in_the_pages_language(dashboard: OpenDashboard) -> None:
    """The English page called a scene by its Korean name though the home file gives `name_en`."""
    from playwright.sync_api import expect

    page = dashboard(PHONE, lang="en")
    expect(page.locator('#scene-buttons [data-scene="movie"]')).to_have_text("movie mode")
    page.click("#lang")
    expect(page.locator('#scene-buttons [data-scene="movie"]')).to_have_text("영화 모드")
