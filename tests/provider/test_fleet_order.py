"""The simulated fleet's device events are load, not requests: made a chunk at a time, with the loop
serving what else is ready between chunks (`jibsa.provider.fleet.SimulatedEvents.make`). Real homes in a
real `Cell` (the sample home, its simulator, SQLite); order is observed, never timed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.hub import SystemClock
from jibsa.provider.cell import Cell, CellHome
from jibsa.provider.fleet import CHUNK, SimulatedEvents
from jibsa.provider.homes import HomeFiles
from jibsa.storage import open_store

SAMPLE_HOME = Path(__file__).parents[2] / "src" / "jibsa" / "data" / "sample_home.yaml"
MOTION = "entrance_motion"


@pytest.fixture
async def cell(tmp_path: Path) -> AsyncIterator[Cell]:
    store = await open_store(tmp_path / "cell.db")
    running = Cell(store, HomeFiles(None, SAMPLE_HOME), SystemClock())
    try:
        yield running
    finally:
        await running.close_all()
        await store.close()


async def test_a_request_ready_meanwhile_runs_between_chunks_of_device_events(cell: Cell) -> None:
    homes = [await cell.home(f"h{i}") for i in range(4)]
    events = SimulatedEvents(lambda: cell.homes)
    count = 10 * CHUNK
    picked = [homes[i % len(homes)] for i in range(count)]
    made_when_served: list[int] = []

    async def request() -> None:  # ready as soon as the events begin, as a command's next step would be
        made_when_served.append(events.made)

    making = asyncio.ensure_future(events.make(picked))
    serving = asyncio.ensure_future(request())
    await asyncio.gather(making, serving)
    assert made_when_served == [CHUNK]  # after the first chunk, not after all of them
    assert events.made == count  # and every event owed was made


async def test_every_event_reaches_its_home_s_motion_sensor(cell: Cell) -> None:
    home: CellHome = await cell.home("h0")
    events = SimulatedEvents(lambda: cell.homes)
    before = home.hub.states.get(MOTION)["motion"]
    await events.make([home] * (CHUNK + 1))  # an odd number of toggles: it shows the other value
    assert events.made == CHUNK + 1
    assert home.hub.states.get(MOTION)["motion"] is (not before)
