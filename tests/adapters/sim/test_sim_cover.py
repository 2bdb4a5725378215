"""Curtains, blinds, windows and garage doors take time to move, and stop where they are told."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sim_support import drive, make_device

from jibsa.adapters.sim import simulator_for
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub.adapter import DeviceError

CURTAIN = simulator_for(DeviceType.CURTAIN)


def fresh(kind: DeviceType = DeviceType.CURTAIN) -> dict[str, Any]:
    return simulator_for(kind).initial_state(make_device(kind.value))


def do(state: dict[str, Any], intent: str, value: Any = None, kind: DeviceType = DeviceType.CURTAIN) -> None:
    prop = "position" if intent == "set" else None
    state.update(simulator_for(kind).apply(DeviceAction(kind.value, intent, prop, value), state, 0.0))


def test_a_curtain_opens_in_ten_seconds_reporting_each_position_on_the_way() -> None:
    state = fresh()
    assert state["position"] == 0
    do(state, "open")
    assert state["position"] == 0  # it has only started moving
    assert CURTAIN.is_active(state)
    changes = drive(CURTAIN, state, 10)
    assert [c["position"] for c in changes] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert state["_target"] is None
    assert not CURTAIN.is_active(state)
    assert drive(CURTAIN, state, 5) == [{}] * 5


def test_stop_halts_it_midway_and_close_brings_it_back() -> None:
    state = fresh()
    do(state, "open")
    drive(CURTAIN, state, 3.5, 0.5)
    do(state, "stop")
    assert (state["position"], state["_target"]) == (35, None)
    drive(CURTAIN, state, 10)
    assert state["position"] == 35
    do(state, "close")
    drive(CURTAIN, state, 2)
    assert state["position"] == 15
    drive(CURTAIN, state, 2)
    assert state["position"] == 0


def test_set_moves_to_a_position_in_one_big_step_too() -> None:
    state = fresh()
    do(state, "set", 40)
    state.update(CURTAIN.advance(state, 3600, random.Random(0)))
    assert (state["position"], state["_target"]) == (40, None)


def test_setting_the_position_it_is_at_does_not_start_it() -> None:
    state = fresh()
    do(state, "set", 0)
    assert not CURTAIN.is_active(state)


def test_blinds_take_twenty_seconds_and_garage_doors_fifteen() -> None:
    blind, garage = fresh(DeviceType.BLIND), fresh(DeviceType.GARAGE_DOOR)
    do(blind, "open", kind=DeviceType.BLIND)
    do(garage, "open", kind=DeviceType.GARAGE_DOOR)
    drive(simulator_for(DeviceType.BLIND), blind, 10)
    drive(simulator_for(DeviceType.GARAGE_DOOR), garage, 10)
    assert (blind["position"], garage["position"]) == (50, 67)


def test_a_window_opens_and_refuses_what_covers_do_not_do() -> None:
    window = fresh(DeviceType.WINDOW)
    do(window, "turn_on", kind=DeviceType.WINDOW)
    assert window["_target"] == 100
    with pytest.raises(DeviceError) as caught:
        do(window, "lock", kind=DeviceType.WINDOW)
    assert caught.value.code == "unsupported_intent"
