"""Air conditioners, boilers, thermostats, humidifiers and air purifiers move the room over time."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sim_support import drive, make_device

from jibsa.adapters.sim import simulator_for
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub.adapter import DeviceError

AC = simulator_for(DeviceType.AIR_CONDITIONER)


def fresh(kind: DeviceType) -> dict[str, Any]:
    return simulator_for(kind).initial_state(make_device(kind.value))


def do(kind: DeviceType, state: dict[str, Any], intent: str, prop: str | None = None, value: Any = None) -> None:
    state.update(simulator_for(kind).apply(DeviceAction(kind.value, intent, prop, value), state, 0.0))


def test_a_new_air_conditioner_is_off_in_a_warm_room() -> None:
    state = fresh(DeviceType.AIR_CONDITIONER)
    assert {k: state[k] for k in ("power", "temperature", "current_temperature", "mode", "fan_speed")} == {
        "power": False,
        "temperature": 24,
        "current_temperature": 28,
        "mode": "cool",
        "fan_speed": "auto",
    }
    assert not AC.is_active(state)


@pytest.mark.parametrize("kind", [DeviceType.AIR_CONDITIONER, DeviceType.AIR_PURIFIER])
def test_a_setting_on_a_device_that_is_off_turns_it_on_unless_it_keeps_power(kind: DeviceType) -> None:
    """ "에어컨 23도로" starts an AC that is off (the conversation's contract); the sheet's "+" sends
    `keep_power` and only stores the target, as LG's and Samsung's apps do."""
    prop, value = ("temperature", 23) if kind is DeviceType.AIR_CONDITIONER else ("fan_speed", "high")
    state = fresh(kind)
    state.update(
        simulator_for(kind).apply(DeviceAction(kind.value, "set", prop, value, {"keep_power": True}), state, 0)
    )
    assert state["power"] is False and state[prop] == value
    do(kind, state, "set", prop, value)
    assert state["power"] is True


def test_cooling_approaches_the_target_exponentially_and_settles() -> None:
    state = fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, state, "turn_on")
    assert AC.is_active(state)
    drive(AC, state, 600)
    assert state["current_temperature"] == 25.5  # 24 + 4·e^-1
    drive(AC, state, 1200)
    assert state["current_temperature"] == 24.2  # 24 + 4·e^-3
    drive(AC, state, 1800)
    assert state["current_temperature"] == 24
    assert not AC.is_active(state)


def test_turned_off_the_room_drifts_back_to_its_own_temperature() -> None:
    state = fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, state, "turn_on")
    drive(AC, state, 4000, 10)
    assert state["current_temperature"] == 24
    do(DeviceType.AIR_CONDITIONER, state, "turn_off")
    assert AC.is_active(state)
    drive(AC, state, 1800, 10)
    assert state["current_temperature"] == 26.5  # 28 - 4·e^-1


def test_one_step_of_half_an_hour_equals_1800_steps_of_a_second() -> None:
    small, big = fresh(DeviceType.AIR_CONDITIONER), fresh(DeviceType.AIR_CONDITIONER)
    for state in (small, big):
        do(DeviceType.AIR_CONDITIONER, state, "turn_on")
    drive(AC, small, 1800)
    big.update(AC.advance(big, 1800, random.Random(0)))
    assert small["current_temperature"] == big["current_temperature"] == 24.2
    assert small["_current"] == pytest.approx(big["_current"])


def test_cool_mode_never_heats_and_heat_mode_does() -> None:
    state = fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, state, "set", "temperature", 30)
    assert state["power"] is True  # setting a temperature turns the AC on
    assert not AC.is_active(state)
    drive(AC, state, 600)
    assert state["current_temperature"] == 28
    do(DeviceType.AIR_CONDITIONER, state, "set", "mode", "heat")
    drive(AC, state, 600)
    assert state["current_temperature"] == 29.3  # 30 - 2·e^-1


def test_dry_mode_hardly_changes_the_temperature_and_fan_mode_not_at_all() -> None:
    state = fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, state, "set", "mode", "dry")
    drive(AC, state, 600)
    assert state["current_temperature"] == 27.8
    fan = fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, fan, "set", "mode", "fan")
    assert not AC.is_active(fan)


def test_a_high_fan_cools_faster_than_a_low_one() -> None:
    low, high = fresh(DeviceType.AIR_CONDITIONER), fresh(DeviceType.AIR_CONDITIONER)
    do(DeviceType.AIR_CONDITIONER, low, "set", "fan_speed", "low")
    do(DeviceType.AIR_CONDITIONER, high, "set", "fan_speed", "high")
    drive(AC, low, 600, 60)
    drive(AC, high, 600, 60)
    # 24 + 4·e^(-600/900) and 24 + 4·e^(-600/420)
    assert (low["current_temperature"], high["current_temperature"]) == (26.1, 25)


def test_the_current_temperature_cannot_be_set() -> None:
    with pytest.raises(DeviceError) as caught:
        do(DeviceType.AIR_CONDITIONER, fresh(DeviceType.AIR_CONDITIONER), "set", "current_temperature", 20)
    assert caught.value.code == "unsupported_property"


def test_the_boiler_heats_the_home_and_it_cools_when_away_or_off() -> None:
    boiler = simulator_for(DeviceType.BOILER)
    state = fresh(DeviceType.BOILER)
    assert (state["power"], state["temperature"], state["current_temperature"], state["mode"]) == (True, 22, 21, "heat")
    drive(boiler, state, 1800, 10)
    assert state["current_temperature"] == 21.6  # 22 - e^-1
    do(DeviceType.BOILER, state, "set", "mode", "away")
    drive(boiler, state, 100_000, 100)
    assert state["current_temperature"] == 16
    do(DeviceType.BOILER, state, "set", "mode", "heat")
    drive(boiler, state, 20_000, 100)
    assert state["current_temperature"] == 22
    do(DeviceType.BOILER, state, "turn_off")
    boiler_state = dict(state)
    boiler_state.update(boiler.advance(boiler_state, 7200, random.Random(0)))
    assert boiler_state["current_temperature"] == 18.2  # 16 + 6·e^-1


def test_the_thermostat_heats_towards_its_target() -> None:
    thermostat = simulator_for(DeviceType.THERMOSTAT)
    state = fresh(DeviceType.THERMOSTAT)
    do(DeviceType.THERMOSTAT, state, "set", "temperature", 25)
    state.update(thermostat.advance(state, 1200, random.Random(0)))
    assert state["current_temperature"] == 23.5  # 25 - 4·e^-1


def test_humidifier_raises_and_dehumidifier_lowers_the_humidity() -> None:
    humidifier, dehumidifier = simulator_for(DeviceType.HUMIDIFIER), simulator_for(DeviceType.DEHUMIDIFIER)
    wet, dry = fresh(DeviceType.HUMIDIFIER), fresh(DeviceType.DEHUMIDIFIER)
    assert (wet["current_humidity"], dry["current_humidity"]) == (40, 70)
    do(DeviceType.HUMIDIFIER, wet, "turn_on")
    do(DeviceType.DEHUMIDIFIER, dry, "turn_on")
    drive(humidifier, wet, 900, 5)
    drive(dehumidifier, dry, 900, 5)
    assert (wet["current_humidity"], dry["current_humidity"]) == (46.3, 57.4)


def test_a_humidifier_asked_for_less_than_the_room_has_does_nothing() -> None:
    state = fresh(DeviceType.HUMIDIFIER)
    do(DeviceType.HUMIDIFIER, state, "set", "humidity", 35)
    assert state["power"] is True
    assert not simulator_for(DeviceType.HUMIDIFIER).is_active(state)


def test_the_air_purifier_cleans_the_air_while_on_and_it_gets_worse_when_off() -> None:
    purifier = simulator_for(DeviceType.AIR_PURIFIER)
    state = fresh(DeviceType.AIR_PURIFIER)
    assert (state["power"], state["air_quality"]) == (False, "moderate")
    assert not purifier.is_active(state)
    do(DeviceType.AIR_PURIFIER, state, "turn_on")
    drive(purifier, state, 800)
    assert state["air_quality"] == "moderate"
    drive(purifier, state, 100)
    assert state["air_quality"] == "good"  # 5 + 20·e^(-t/1200) ≤ 15 after 832 s on low
    drive(purifier, state, 10_000, 100)
    assert not purifier.is_active(state)  # as clean as it gets
    do(DeviceType.AIR_PURIFIER, state, "turn_off")
    drive(purifier, state, 2000, 10)
    assert state["air_quality"] == "good"
    drive(purifier, state, 2000, 10)
    assert state["air_quality"] == "moderate"


def test_turbo_cleans_faster_and_a_grade_set_from_outside_is_taken() -> None:
    purifier = simulator_for(DeviceType.AIR_PURIFIER)
    state = fresh(DeviceType.AIR_PURIFIER)
    state["air_quality"] = "very_bad"  # the world changed: cooking smoke
    do(DeviceType.AIR_PURIFIER, state, "set", "mode", "turbo")
    assert state["power"] is True
    state.update(purifier.advance(state, 240, random.Random(0)))
    assert state["air_quality"] == "bad"  # 5 + 95·e^-1 = 40
    state.update(purifier.advance(state, 360, random.Random(0)))
    assert state["air_quality"] == "good"
