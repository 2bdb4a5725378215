"""The dashboard's energy view in real Chromium, phone first: this period's kWh against the tier lines, the
bill so far and projected, the days as bars with a kWh axis and day labels in Korean, the devices that used
the most; a device's sheet with its draw now and its use today. axe finds nothing serious; screenshots at
390 px, light and dark, are saved under artifacts/energy/.

`jibsa serve` runs on the real clock, so the days of this period before today are what an earlier run
would have left in its store: written into the store before the server starts (the store's own
`add_energy`), 8 to 12 kWh a day split over four appliances."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from test_dashboard_a11y import _serious_violations
from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium, start_server, stop_server

from jibsa.energy import cycle_containing
from jibsa.energy.store import HOME, EnergyRow, Grain
from jibsa.storage import open_store

pytestmark = needs_chromium
SEOUL = ZoneInfo("Asia/Seoul")
SHARES = {"living_ac": 0.45, "refrigerator": 0.25, "washer": 0.15, "living_tv": 0.15}
BOILER_KWH = 0.35  # the boiler's pump in today's first hour: small use, said in Wh


def _daily_kwh(day: date) -> float:
    return 8.0 + (day.toordinal() * 7919 % 41) / 10  # 8.0 … 12.0, the same for the same day


async def _seed(data: Path) -> list[float]:
    """The days of this billing period before today (the sample home is read on the 15th), in the store."""
    today = datetime.now(SEOUL).date()
    period = cycle_containing(today, 15)
    store = await open_store(data)
    rows, used = [], []
    day = period.start
    while day < today:
        midnight = datetime.combine(day, time(0), SEOUL).timestamp()
        kwh = _daily_kwh(day)
        used.append(kwh)
        rows.append(EnergyRow(HOME, midnight, kwh))
        rows += [EnergyRow(device, midnight, kwh * share, 3600.0) for device, share in SHARES.items()]
        day += timedelta(days=1)
    hours = [EnergyRow(r.device_id, r.start + 12 * 3600, r.kwh, r.on_s) for r in rows]  # each day's use at noon
    hours.append(EnergyRow("boiler", datetime.combine(today, time(0), SEOUL).timestamp(), BOILER_KWH, 600.0))
    await store.add_energy("sample", {Grain.DAY: rows, Grain.HOUR: hours})
    await store.close()
    return used


@pytest.fixture(scope="module")
def seeded() -> list[float]:
    return []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded: list[float]) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("jibsa-energy")
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this thread
        seeded += thread.submit(lambda: asyncio.run(_seed(data))).result()
    process, running = start_server(data)
    try:
        yield running
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "energy"
    folder.mkdir(exist_ok=True)
    return folder


def _energy_view(dashboard: OpenDashboard, scheme: str = "light", lang: str = "ko") -> Any:
    page = dashboard(PHONE, color_scheme=scheme, lang=lang)
    page.wait_for_selector(".energy .energy-bars")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_energy_view_on_a_phone(dashboard: OpenDashboard, shots: Path, seeded: list[float], scheme: str) -> None:
    page = _energy_view(dashboard, scheme)
    view = page.locator(".energy")
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(shots / f"energy-phone-{scheme}.png"))
    page.screenshot(path=str(shots / f"energy-phone-{scheme}-page.png"), full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert _serious_violations(page) == []
    # This period's kWh (the seeded days and today so far), its tier and the lines of the tier edges.
    kwh = float(page.inner_text(".energy-kwh").replace(",", "").removesuffix("kWh"))
    assert sum(seeded) - 0.5 <= kwh <= sum(seeded) + 5  # over 100 kWh it is shown whole
    assert re.fullmatch(r"누진 [123]단계", page.inner_text(".energy-tier"))
    assert page.inner_text(".energy-won").endswith("원")
    edge_labels = page.locator(".energy-edge-label").all_text_contents()
    assert edge_labels and all(re.fullmatch(r"[\d,]+kWh", label) for label in edge_labels)
    # The days: a bar each, a kWh axis, day-of-month labels in Korean.
    bars = page.locator(".energy-bar")
    assert bars.count() == len(seeded) + 1
    axis = page.locator(".energy-bars .energy-axis").all_text_contents()
    assert "kWh" in axis and any(re.fullmatch(r"\d{1,2}일", a) for a in axis)
    days = [
        page.locator(".energy-bars .energy-axis", has_text=re.compile(r"^\d{1,2}일$")).nth(i).bounding_box()
        for i in range(sum(bool(re.fullmatch(r"\d{1,2}일", a)) for a in axis))
    ]
    assert all(a and b and a["x"] + a["width"] < b["x"] for a, b in itertools.pairwise(days))  # no day label on another
    if len(seeded) >= 1:
        assert page.inner_text(".energy-projection").startswith("이대로면")
        assert re.search(r"[\d,]+원", page.inner_text(".energy-projection"))
    top = page.locator(".energy-top li .energy-device").all_inner_texts()
    if seeded:
        assert top[0] == "거실 에어컨"
        assert re.fullmatch(r"[\d,]+(\.\d)?kWh", _top_use(page, "거실 에어컨"))  # 8+ kWh a day: no Wh


def _top_use(page: Any, name: str) -> str:
    """The use shown beside a device in the list of those that used the most, without its share."""
    row = page.locator(".energy-top li", has=page.locator(".energy-device", has_text=name))
    return str(row.locator(".energy-device-kwh").inner_text()).split(" · ")[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_small_use_is_said_in_wh(dashboard: OpenDashboard, lang: str) -> None:
    """The boiler used 0.35 kWh today (and whatever the simulated one adds): its sheet says Wh, not "0kWh"."""
    page = _energy_view(dashboard, lang=lang)
    page.click('[role=tab][data-room="*home"]')
    page.click('#tiles [data-device="boiler"] .tile-more')
    page.wait_for_selector("#sheet[open] .sheet-energy:not([hidden])")
    label = "오늘 사용량" if lang == "ko" else "Used today"
    today = page.locator(f"#sheet .sheet-energy dt:text-is('{label}') + dd")
    used = re.fullmatch(r"(\d{3})(\s?)Wh", today.inner_text())
    assert used is not None, today.inner_text()
    assert int(used[1]) >= BOILER_KWH * 1000 and used[2] == ("" if lang == "ko" else " ")


def test_english_words_on_the_energy_view(dashboard: OpenDashboard) -> None:
    page = _energy_view(dashboard, lang="en")
    assert page.inner_text(".energy h2") == "Electricity"
    assert re.fullmatch(r"tier [123]", page.inner_text(".energy-tier"))
    assert page.inner_text(".energy-won").endswith(" won")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_device_sheet_shows_its_power_now_and_energy_today(
    dashboard: OpenDashboard, shots: Path, scheme: str
) -> None:
    page = _energy_view(dashboard, scheme)
    page.click('[role=tab][data-room="living"]')
    page.click('#tiles [data-device="living_tv"] .tile-more')
    page.wait_for_selector("#sheet[open] .sheet-energy:not([hidden])")
    part = page.locator("#sheet .sheet-energy")
    text = part.inner_text()
    assert "지금 소비 전력" in text and re.search(r"[\d.,]+W", text)
    assert "오늘 사용량" in text and re.search(r"[\d.,]+k?Wh", text)
    assert _serious_violations(page) == []
    page.screenshot(path=str(shots / f"energy-phone-{scheme}-sheet.png"))
