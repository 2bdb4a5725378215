"""From readings to energy per hour: power held until the next reading, meters that reset or jump,
gaps, a plug measuring its appliance, a whole-home meter, running time, a restart in the middle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from energy_support import START, Recording, small_home

from jibsa.domain import AvailabilityChanged
from jibsa.energy.store import HOME, Grain


async def test_a_draw_holds_until_the_next_reading_and_is_cut_at_the_hour(recording: Recording) -> None:
    recording.report("ac", {"power": True, "power_w": 1000.0}, at=1800)  # 00:30
    recording.report("ac", {"power": True, "power_w": 400.0}, at=5400)  # 01:30
    await recording.clock.advance(3 * 3600)  # 03:00
    # 00:30–01:00 1 kW = 0.5; 01:00–01:30 1 kW + 01:30–02:00 0.4 kW = 0.7; 02:00–03:00 0.4 kW = 0.4
    assert await recording.kwh("ac") == [0.5, 0.7, 0.4]
    assert await recording.kwh(HOME) == [0.5, 0.7, 0.4]  # no whole-home meter: the devices added up


async def test_running_time_is_counted_per_hour(recording: Recording) -> None:
    recording.report("ac", {"power": True}, at=600)
    recording.report("ac", {"power": False}, at=600 + 2.5 * 3600)
    await recording.clock.advance(4 * 3600)
    await recording.recorder.flush()
    rows = await recording.store.energy_rows("home", START, START + 4 * 3600, "ac")
    assert [round(r.on_s) for r in rows] == [3000, 3600, 2400]  # 2 h 30 min in all
    assert sum(r.kwh for r in rows) == 0  # it said nothing of its draw


async def test_a_meter_that_falls_has_started_again_from_zero(recording: Recording) -> None:
    for at, kwh in ((0, 100.0), (1200, 101.5), (2400, 0.3), (3000, 0.8)):
        recording.report("washer_plug", {"energy": kwh, "power": 0.0}, at=at)
    await recording.clock.advance(3600)
    # 100 -> 101.5: 1.5; reset, counted from 0: 0.3; 0.3 -> 0.8: 0.5. Never negative.
    assert sum(await recording.kwh("washer_plug")) == pytest.approx(2.3)


async def test_a_rise_across_a_gap_is_spread_over_the_gap(recording: Recording) -> None:
    recording.report("main", {"energy": 10.0}, at=0)
    recording.report("main", {"energy": 13.0}, at=3 * 3600)  # nothing heard for three hours
    await recording.clock.advance(3 * 3600)
    assert await recording.kwh("main") == [1.0, 1.0, 1.0]


async def test_a_jump_no_home_could_draw_is_a_meter_changed_not_energy(recording: Recording) -> None:
    recording.report("main", {"energy": 10.0}, at=0)
    recording.report("main", {"energy": 5000.0}, at=60)  # 4,990 kWh in a minute: 300 MW
    recording.report("main", {"energy": 5000.4}, at=3600)
    await recording.clock.advance(3600)
    assert sum(await recording.kwh("main")) == pytest.approx(0.4)


async def test_a_plug_measures_its_appliance(recording_factory: Callable[..., Any]) -> None:
    recording: Recording = await recording_factory(small_home(measured_by={"washer": "washer_plug"}))
    recording.report("washer", {"run_state": "running", "power_w": 2000.0}, at=0)  # its own figure: not counted
    recording.report("washer_plug", {"power": 500.0, "energy": 1.0}, at=0)
    recording.report("washer_plug", {"power": 0.0, "energy": 1.6}, at=3600)
    recording.report("washer", {"run_state": "finished", "power_w": 2.0}, at=3600)
    await recording.clock.advance(2 * 3600)
    assert await recording.kwh("washer") == [0.6]
    assert await recording.kwh("washer_plug") == []
    rows = await recording.store.energy_rows("home", START, START + 7200, "washer")
    assert rows[0].on_s == 3600
    await recording.recorder.stop()
    await recording.store.close()


async def test_a_whole_home_meter_is_the_home(recording_factory: Callable[..., Any]) -> None:
    recording: Recording = await recording_factory(small_home(meter="main"))
    recording.report("main", {"energy": 1000.0}, at=0)
    recording.report("fridge", {"power_w": 100.0}, at=0)
    recording.report("main", {"energy": 1001.2}, at=3600)
    await recording.clock.advance(3600)
    assert await recording.kwh(HOME) == [1.2]  # the meter, not the fridge's 0.1 kWh besides
    assert await recording.kwh("fridge") == [0.1]
    await recording.recorder.stop()
    await recording.store.close()


async def test_a_device_gone_quiet_is_not_assumed_to_draw(recording: Recording) -> None:
    recording.report("fridge", {"power_w": 100.0}, at=0)
    recording.recorder.on_event(AvailabilityChanged("home", "fridge", False, START + 1800))
    await recording.clock.advance(2 * 3600)
    assert await recording.kwh("fridge") == [0.05]


async def test_a_restart_counts_the_meter_across_it(recording_factory: Callable[..., Any]) -> None:
    first: Recording = await recording_factory()
    first.report("main", {"energy": 50.0}, at=0)
    await first.recorder.stop()
    await first.store.close()
    second: Recording = await recording_factory()  # the same data directory
    await second.clock.advance(2 * 3600)
    second.report("main", {"energy": 52.0})
    assert await second.kwh("main") == [1.0, 1.0]
    await second.recorder.stop()
    await second.store.close()


async def test_days_are_the_homes_days(recording: Recording) -> None:
    recording.report("fridge", {"power_w": 1000.0}, at=23 * 3600)  # 23:00 in Seoul
    recording.report("fridge", {"power_w": 0.0}, at=25 * 3600)  # 01:00 the next day
    await recording.clock.advance(26 * 3600)
    await recording.recorder.flush()
    days = await recording.store.energy_rows("home", START - 86_400, START + 3 * 86_400, "fridge", grain=Grain.DAY)
    assert [(r.start - START, round(r.kwh, 6)) for r in days] == [(0.0, 1.0), (86_400.0, 1.0)]  # Seoul midnights
