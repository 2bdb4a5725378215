"""The energy view of a home that has used little this period (a first morning): what a screen reader hears
of the meter says the amount as the page shows it, in Wh, with the page's own unit and spacing.

The store holds one hour of today's use, 0.35 kWh, written before `jibsa serve` starts (the store's own
`add_energy`, as tests/web/test_dashboard_energy.py seeds its days)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium, start_server, stop_server

from jibsa.energy.store import HOME, EnergyRow, Grain
from jibsa.storage import open_store

pytestmark = needs_chromium
SEOUL = ZoneInfo("Asia/Seoul")
TODAY_KWH = 0.35


async def _seed(data: Path) -> None:
    midnight = datetime.combine(datetime.now(SEOUL).date(), time(0), SEOUL).timestamp()
    store = await open_store(data)
    rows = [EnergyRow(HOME, midnight, TODAY_KWH), EnergyRow("boiler", midnight, TODAY_KWH, 600.0)]
    await store.add_energy("sample", {Grain.DAY: rows, Grain.HOUR: rows})
    await store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("jibsa-energy-small")
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this thread
        thread.submit(lambda: asyncio.run(_seed(data))).result()
    process, running = start_server(data)
    try:
        yield running
    finally:
        stop_server(process)


@pytest.mark.parametrize(("lang", "space"), [("ko", ""), ("en", " ")])
def test_the_meter_is_read_out_as_the_page_shows_it(dashboard: OpenDashboard, lang: str, space: str) -> None:
    page = dashboard(PHONE, lang=lang)
    page.wait_for_selector(".energy .energy-meter")
    # Read in one go: the view redraws itself every so often, and both must come from the same drawing.
    shown, heard, edges = page.evaluate(
        """() => [document.querySelector(".energy-kwh").textContent,
                  document.querySelector(".energy-meter").getAttribute("aria-label"),
                  [...document.querySelectorAll(".energy-edge-label")].map((e) => e.textContent)]"""
    )
    used = re.fullmatch(rf"(\d{{3}}){space}Wh", shown)
    assert used is not None, shown  # a first morning's use is said in Wh on the page ...
    assert int(used[1]) >= TODAY_KWH * 1000
    assert heard.startswith(shown) or f" {shown}." in heard, heard  # ... and to a screen reader, the same
    assert "kWh" not in heard.split(".")[0], heard
    for edge in edges:  # the tier edges, as the page writes them
        assert re.fullmatch(rf"[\d,]+{space}kWh", edge), edge
        assert edge in heard, heard
