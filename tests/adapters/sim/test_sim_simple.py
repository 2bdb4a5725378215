"""Lights, switches, fans, TVs, speakers, door locks, gas valves and the refrigerator."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sim_support import drive, make_device

from jibsa.adapters.sim import SIMULATORS, simulator_for
from jibsa.domain import DeviceAction, DeviceType, type_spec
from jibsa.hub.adapter import DeviceError


def fresh(kind: DeviceType) -> dict[str, Any]:
    return simulator_for(kind).initial_state(make_device(kind.value))


def act(
    kind: DeviceType, state: dict[str, Any], intent: str, prop: str | None = None, value: Any = None
) -> dict[str, Any]:
    return simulator_for(kind).apply(DeviceAction(kind.value, intent, prop, value), state, 0.0)


@pytest.mark.parametrize("kind", [k for k in DeviceType if k is not DeviceType.SENSOR])
def test_every_type_starts_with_every_property_of_its_type(kind: DeviceType) -> None:
    state = fresh(kind)
    assert {k for k in state if not k.startswith("_")} == set(type_spec(kind).property_names)
    assert kind in SIMULATORS


def test_a_light_starts_off_at_full_brightness_in_white() -> None:
    assert fresh(DeviceType.LIGHT) == {"power": False, "brightness": 100, "color": "white"}


def test_setting_brightness_turns_a_light_on_and_turning_it_on_keeps_brightness() -> None:
    state = fresh(DeviceType.LIGHT)
    assert act(DeviceType.LIGHT, state, "set", "brightness", 30) == {"brightness": 30, "power": True}
    state.update(brightness=30, power=True)
    state.update(act(DeviceType.LIGHT, state, "turn_off"))
    assert state == {"power": False, "brightness": 30, "color": "white"}
    state.update(act(DeviceType.LIGHT, state, "turn_on"))
    assert state == {"power": True, "brightness": 30, "color": "white"}


def test_a_light_refuses_what_it_cannot_do() -> None:
    with pytest.raises(DeviceError) as caught:
        act(DeviceType.LIGHT, fresh(DeviceType.LIGHT), "start")
    assert caught.value.code == "unsupported_intent"
    with pytest.raises(DeviceError) as caught:
        act(DeviceType.LIGHT, fresh(DeviceType.LIGHT), "set", "volume", 3)
    assert caught.value.code == "unsupported_property"


def test_switch_fan_tv_and_speaker_do_what_they_are_told() -> None:
    assert act(DeviceType.SWITCH, fresh(DeviceType.SWITCH), "turn_on") == {"power": True}
    assert act(DeviceType.FAN, fresh(DeviceType.FAN), "set", "fan_speed", "high") == {
        "fan_speed": "high",
        "power": True,
    }
    assert fresh(DeviceType.TV) == {"power": False, "volume": 15, "channel": 9, "mute": False}
    assert act(DeviceType.TV, fresh(DeviceType.TV), "set", "channel", 11) == {"channel": 11, "power": True}
    assert act(DeviceType.TV, fresh(DeviceType.TV), "set", "mute", True) == {"mute": True}
    assert act(DeviceType.SPEAKER, fresh(DeviceType.SPEAKER), "set", "volume", 40) == {"volume": 40, "power": True}


def test_simple_devices_do_not_change_on_their_own() -> None:
    for kind in (DeviceType.LIGHT, DeviceType.TV, DeviceType.DOOR_LOCK, DeviceType.GAS_VALVE):
        state = fresh(kind)
        assert not simulator_for(kind).is_active(state)
        assert simulator_for(kind).advance(state, 3600, random.Random(0)) == {}


def test_the_door_lock_locks_and_unlocks() -> None:
    state = fresh(DeviceType.DOOR_LOCK)
    assert state == {"lock": "locked"}
    assert act(DeviceType.DOOR_LOCK, state, "unlock") == {"lock": "unlocked"}
    assert act(DeviceType.DOOR_LOCK, state, "lock") == {"lock": "locked"}


def test_the_gas_valve_closes_but_refuses_to_open() -> None:
    state = fresh(DeviceType.GAS_VALVE)
    assert state == {"valve": "open"}
    state.update(act(DeviceType.GAS_VALVE, state, "close"))
    assert state == {"valve": "closed"}
    for intent in ("open", "turn_on", "unlock"):
        with pytest.raises(DeviceError, match="never opened remotely") as caught:
            act(DeviceType.GAS_VALVE, state, intent)
        assert caught.value.code == "refused_for_safety"
    with pytest.raises(DeviceError) as caught:
        act(DeviceType.GAS_VALVE, state, "set", "valve", "open")
    assert caught.value.code == "refused_for_safety"


FRIDGE = simulator_for(DeviceType.REFRIGERATOR)


def test_the_refrigerator_takes_a_new_temperature_at_once() -> None:
    state = fresh(DeviceType.REFRIGERATOR)
    assert {k: v for k, v in state.items() if not k.startswith("_")} == {
        "temperature": 3,
        "freezer_temperature": -18,
        "door": False,
    }
    state.update(act(DeviceType.REFRIGERATOR, state, "set", "freezer_temperature", -20))
    assert state["freezer_temperature"] == -20
    assert not FRIDGE.is_active(state)


def test_an_open_fridge_door_warms_it_and_closed_it_cools_back() -> None:
    state = fresh(DeviceType.REFRIGERATOR)
    state["door"] = True
    assert FRIDGE.is_active(state)
    drive(FRIDGE, state, 120, 10)
    # 22 - 19·e^(-120/1800) and 22 - 40·e^(-120/3600)
    assert (state["temperature"], state["freezer_temperature"]) == (4.2, -16.7)
    state["door"] = False
    drive(FRIDGE, state, 900, 10)
    assert state["temperature"] == 3.5  # 3 + 1.23·e^-1
    drive(FRIDGE, state, 20_000, 100)
    assert (state["temperature"], state["freezer_temperature"]) == (3, -18)
    assert not FRIDGE.is_active(state)
