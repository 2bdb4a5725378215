"""A cell's running homes are left out of Python's cyclic garbage collector (`jibsa.provider.heap`), and a
closed home is collected, not kept: real homes in a real `Cell` (the sample home, SQLite)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.hub import SystemClock
from jibsa.provider.cell import Cell
from jibsa.provider.homes import HomeFiles
from jibsa.storage import open_store

SAMPLE_HOME = Path(__file__).parents[2] / "src" / "jibsa" / "data" / "sample_home.yaml"


@pytest.fixture
async def cell(tmp_path: Path) -> AsyncIterator[Cell]:
    store = await open_store(tmp_path / "cell.db")
    running = Cell(store, HomeFiles(None, SAMPLE_HOME), SystemClock())
    try:
        yield running
    finally:
        await running.close_all()
        await store.close()
        gc.unfreeze()


async def test_a_running_home_is_frozen_out_of_collections(cell: Cell) -> None:
    gc.unfreeze()
    home = await cell.home("h0")
    assert gc.get_freeze_count() > 0
    tracked = {id(o) for o in gc.get_objects()}  # what a collection walks: the frozen objects are not in it
    assert id(home.hub) not in tracked and id(home.hub.states) not in tracked


async def test_a_closed_home_is_collected_once_the_next_home_opens(cell: Cell) -> None:
    hub = weakref.ref((await cell.home("h0")).hub)
    await cell.close("h0")
    assert gc.get_freeze_count() == 0  # unfrozen: what the closed home left can be collected
    await cell.home("h1")  # collected first, then frozen again
    assert hub() is None
    assert gc.get_freeze_count() > 0
