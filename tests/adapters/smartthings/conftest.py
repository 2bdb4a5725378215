"""Fixtures for the SmartThings adapter: the stand-in cloud on a free port and an adapter pointed at it
(the clock and the sink come from tests/adapters/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from st_support import settings_for

from jibsa.adapters.smartthings import SmartThingsAdapter
from jibsa.domain import Home, Room
from jibsa.testing import RecordingSink, WatchedClock
from jibsa.testing.smartthings_server import SmartThingsServer

HOME = Home("시험 집", (Room("living", "거실"), Room("bedroom", "안방", ("침실",))), ())


@pytest.fixture
async def server() -> AsyncIterator[SmartThingsServer]:
    async with SmartThingsServer() as running:
        yield running


@pytest.fixture
async def adapter(
    server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> AsyncIterator[SmartThingsAdapter]:
    running = SmartThingsAdapter(settings_for(server, timeout_s=0.3), clock, HOME)
    await running.start([], sink)
    yield running
    await running.stop()
