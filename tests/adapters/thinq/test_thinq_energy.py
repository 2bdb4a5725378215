"""Appliances' energy from ThinQ Connect's energy API on LG's stand-in cloud: this month's use as a count
that rises as LG adds each day, read every `energy_s`, and appliances without energy left as they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from thinq_support import settings_for

from jibsa.adapters.thinq import ThinQAdapter
from jibsa.adapters.thinq.mapping import device_id_for
from jibsa.testing import RecordingSink, WatchedClock
from jibsa.testing import thinq_server as lg
from jibsa.testing.thinq_server import ThinQServer

JAN_1 = dt.date(2026, 1, 1)  # the clock's day: WatchedClock starts at 2026-01-01 08:00 in Seoul


@pytest.fixture
async def metered(server: ThinQServer, clock: WatchedClock, sink: RecordingSink) -> AsyncIterator[ThinQAdapter]:
    server.use_energy(lg.WASHER, JAN_1, 600.0)
    running = ThinQAdapter(settings_for(server, timeout_s=0.3, energy_s=3600, poll_s=60), clock)
    await running.start([], sink)
    yield running
    await running.stop()


async def test_this_months_use_is_a_rising_count(
    metered: ThinQAdapter, server: ThinQServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    washer = device_id_for(lg.WASHER)
    assert sink.states[washer]["energy_kwh"] == 0.6
    server.use_energy(lg.WASHER, JAN_1, 450.0)
    await clock.advance(600)  # polled, but its use is read once an hour
    assert sink.states[washer]["energy_kwh"] == 0.6
    await clock.advance(3600)
    assert sink.states[washer]["energy_kwh"] == 1.05


async def test_an_appliance_without_energy_reports_none(metered: ThinQAdapter, sink: RecordingSink) -> None:
    assert "energy_kwh" not in sink.states[device_id_for(lg.AIR_CONDITIONER)]
    assert sink.states[device_id_for(lg.AIR_CONDITIONER)]  # its state is there all the same
