"""Fixtures for the ThinQ adapter: LG's stand-in cloud on a free port and an adapter pointed at it
(the clock and the sink come from tests/adapters/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from thinq_support import settings_for

from jibsa.adapters.thinq import ThinQAdapter
from jibsa.testing import RecordingSink, WatchedClock
from jibsa.testing.thinq_server import ThinQServer


@pytest.fixture
async def server() -> AsyncIterator[ThinQServer]:
    async with ThinQServer() as running:
        yield running


@pytest.fixture
async def adapter(server: ThinQServer, clock: WatchedClock, sink: RecordingSink) -> AsyncIterator[ThinQAdapter]:
    running = ThinQAdapter(settings_for(server, timeout_s=0.3), clock)
    await running.start([], sink)
    yield running
    await running.stop()
