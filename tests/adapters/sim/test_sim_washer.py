"""Washers, dryers and dishwashers: cycles count down, pause, finish, and survive a restart."""

from __future__ import annotations

import random

import pytest
from sim_support import drive, make_device

from jibsa.adapters.sim import simulator_for
from jibsa.adapters.sim.models_appliance import WASHER_CYCLES
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub.adapter import DeviceError

WASHER = simulator_for(DeviceType.WASHER)


def start(state: dict[str, object], **options: object) -> None:
    state.update(WASHER.apply(DeviceAction("washer", "start", options=options), state, 0.0))


def test_a_new_washer_is_off_and_idle_on_the_standard_cycle() -> None:
    state = WASHER.initial_state(make_device("washer"))
    assert {k: v for k, v in state.items() if not k.startswith("_")} == {
        "power": False,
        "run_state": "idle",
        "remaining_time": 0,
        "cycle": "표준",
    }
    assert not WASHER.is_active(state)


def test_start_runs_the_standard_cycle_for_70_minutes_and_counts_down() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    assert (state["power"], state["run_state"], state["remaining_time"]) == (True, "running", 4200)
    drive(WASHER, state, 600)
    assert state["remaining_time"] == 3600
    assert state["run_state"] == "running"


def test_the_cycle_finishes_with_the_power_left_on() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state, cycle="쾌속")
    assert state["remaining_time"] == 30 * 60
    drive(WASHER, state, 30 * 60 - 1)
    assert (state["run_state"], state["remaining_time"]) == ("running", 1)
    drive(WASHER, state, 1)
    assert (state["run_state"], state["remaining_time"], state["power"]) == ("finished", 0, True)
    assert not WASHER.is_active(state)


def test_one_big_step_gives_the_same_result_as_many_small_ones() -> None:
    small, big = (WASHER.initial_state(make_device("washer")) for _ in range(2))
    start(small)
    start(big)
    drive(WASHER, small, 1234.5, step=1.0)
    big.update(WASHER.advance(big, 1234.5, random.Random(0)))
    assert small["remaining_time"] == big["remaining_time"] == 4200 - 1234


def test_an_hour_in_one_step_finishes_a_quick_cycle() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state, cycle="quick")
    state.update(WASHER.advance(state, 3600, random.Random(0)))
    assert (state["run_state"], state["remaining_time"], state["cycle"]) == ("finished", 0, "쾌속")


def test_pause_stops_the_countdown_and_start_resumes_it() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    drive(WASHER, state, 100)
    state.update(WASHER.apply(DeviceAction("washer", "pause"), state, 0.0))
    assert state["run_state"] == "paused"
    assert not WASHER.is_active(state)
    drive(WASHER, state, 1000)
    assert state["remaining_time"] == 4100
    start(state)
    assert state["run_state"] == "running"
    drive(WASHER, state, 100)
    assert state["remaining_time"] == 4000


def test_starting_a_running_washer_changes_nothing() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    drive(WASHER, state, 60)
    assert WASHER.apply(DeviceAction("washer", "start"), state, 0.0) == {}
    assert WASHER.apply(DeviceAction("washer", "start", options={"cycle": "표준"}), state, 0.0) == {}


def test_a_different_cycle_while_running_is_refused() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    with pytest.raises(DeviceError, match="already running"):
        WASHER.apply(DeviceAction("washer", "start", options={"cycle": "울"}), state, 0.0)
    with pytest.raises(DeviceError, match="while it runs"):
        WASHER.apply(DeviceAction("washer", "set", "cycle", "울"), state, 0.0)


def test_an_unknown_cycle_is_refused_naming_the_ones_there_are() -> None:
    state = WASHER.initial_state(make_device("washer"))
    with pytest.raises(DeviceError, match=r"no cycle '우주'.*표준, 쾌속") as caught:
        start(state, cycle="우주")
    assert caught.value.code == "bad_value"


def test_cycle_names_are_read_loosely() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state, cycle="울 코스")
    assert (state["cycle"], state["remaining_time"]) == ("울", WASHER_CYCLES["울"])


def test_stop_and_turn_off_end_the_cycle() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    assert WASHER.apply(DeviceAction("washer", "stop"), state, 0.0) == {
        "run_state": "idle",
        "remaining_time": 0,
        "_remaining": 0.0,
    }
    off = WASHER.apply(DeviceAction("washer", "turn_off"), state, 0.0)
    assert (off["power"], off["run_state"]) == (False, "idle")


def test_dryer_and_dishwasher_standard_cycles_last_90_and_100_minutes() -> None:
    for kind, seconds in ((DeviceType.DRYER, 90 * 60), (DeviceType.DISHWASHER, 100 * 60)):
        sim = simulator_for(kind)
        state = sim.initial_state(make_device(kind.value))
        state.update(sim.apply(DeviceAction(kind.value, "start"), state, 0.0))
        assert state["remaining_time"] == seconds
        state.update(sim.advance(state, seconds - 10, random.Random(0)))
        assert (state["run_state"], state["remaining_time"]) == ("running", 10)
        state.update(sim.advance(state, 10, random.Random(0)))
        assert state["run_state"] == "finished"


def test_a_remaining_time_set_from_outside_is_taken_over_the_stale_bookkeeping() -> None:
    state = WASHER.initial_state(make_device("washer"))
    start(state)
    state["remaining_time"] = 120  # a saved state written before the bookkeeping key existed
    state.update(WASHER.advance(state, 20, random.Random(0)))
    assert state["remaining_time"] == 100
