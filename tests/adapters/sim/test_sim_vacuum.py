"""The robot vacuum cleans, drains its battery, goes home, docks and charges."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sim_support import drive, make_device

from jibsa.adapters.sim import simulator_for
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub.adapter import DeviceError

VACUUM = simulator_for(DeviceType.ROBOT_VACUUM)


def fresh(battery: int = 100) -> dict[str, Any]:
    state = VACUUM.initial_state(make_device("robot_vacuum"))
    state["battery"] = battery  # the exact bookkeeping follows what is shown
    return state


def do(state: dict[str, Any], intent: str, **options: Any) -> None:
    state.update(VACUUM.apply(DeviceAction("robot_vacuum", intent, options=options), state, 0.0))


def shown(state: dict[str, Any]) -> tuple[Any, Any]:
    return state["run_state"], state["battery"]


def test_a_new_vacuum_sits_on_its_dock_fully_charged() -> None:
    state = VACUUM.initial_state(make_device("robot_vacuum"))
    assert shown(state) == ("docked", 100)
    assert not VACUUM.is_active(state)


def test_full_cycle_clean_until_the_battery_is_low_return_dock_and_charge() -> None:
    state = fresh(battery=30)
    do(state, "start")
    assert shown(state) == ("cleaning", 30)
    drive(VACUUM, state, 60)
    assert shown(state) == ("cleaning", 29)  # ~1 %/min
    drive(VACUUM, state, 13 * 60)
    assert shown(state) == ("cleaning", 16)
    drive(VACUUM, state, 60)
    assert shown(state) == ("returning", 15)  # low battery: it gives up at 15 %
    drive(VACUUM, state, 20)
    assert state["run_state"] == "returning"
    drive(VACUUM, state, 10)
    assert state["run_state"] == "docked"
    assert state["_battery"] == pytest.approx(14.5)
    drive(VACUUM, state, 10 * 60)
    assert shown(state) == ("docked", 34)  # ~2 %/min: 14.5 + 20
    drive(VACUUM, state, 60 * 60)
    assert shown(state) == ("docked", 100)
    assert not VACUUM.is_active(state)


def test_cleaning_one_room_takes_20_minutes_then_it_goes_home() -> None:
    state = fresh()
    do(state, "start", area="living")
    assert state["_area"] == "living"
    drive(VACUUM, state, 19 * 60)
    assert shown(state) == ("cleaning", 81)
    drive(VACUUM, state, 60)
    assert shown(state) == ("returning", 80)
    assert state["_area"] is None


def test_two_hours_in_one_step_equal_two_hours_of_seconds() -> None:
    small, big = fresh(), fresh()
    do(small, "start")
    do(big, "start")
    drive(VACUUM, small, 7200)
    big.update(VACUUM.advance(big, 7200, random.Random(0)))
    assert shown(small) == shown(big) == ("docked", 100)
    partial = fresh()
    do(partial, "start")
    partial.update(VACUUM.advance(partial, 3600 + 30 + 600, random.Random(0)))
    assert shown(partial) == ("docked", 59)  # 40 after the hour, 39.5 at the dock, +20 in ten minutes


def test_pause_keeps_the_battery_and_the_job_and_start_resumes_it() -> None:
    state = fresh()
    do(state, "start", area="kitchen")
    drive(VACUUM, state, 600)
    do(state, "pause")
    assert shown(state) == ("paused", 90)
    assert not VACUUM.is_active(state)
    drive(VACUUM, state, 3600, 60)
    assert shown(state) == ("paused", 90)
    do(state, "start")
    assert state["_clean_left"] == pytest.approx(600)
    drive(VACUUM, state, 600)
    assert shown(state) == ("returning", 80)


def test_dock_and_stop_send_it_home() -> None:
    for intent in ("dock", "stop"):
        state = fresh()
        do(state, "start")
        drive(VACUUM, state, 120)
        do(state, intent)
        assert state["run_state"] == "returning"
        drive(VACUUM, state, 30)
        assert shown(state) == ("docked", 97)  # 100 - 2 - 0.5, shown rounded


def test_docking_a_docked_vacuum_changes_nothing() -> None:
    assert VACUUM.apply(DeviceAction("robot_vacuum", "dock"), fresh(), 0.0) == {}


def test_it_refuses_to_start_on_a_flat_battery() -> None:
    with pytest.raises(DeviceError, match="15%"):
        do(fresh(battery=15), "start")
