"""Sensors drift within bounds, deterministically for a given seed; binary classes stay put."""

from __future__ import annotations

import random
from typing import Any

from sim_support import drive, make_device

from jibsa.adapters.sim import simulator_for
from jibsa.adapters.sim.models_sensor import WALKS
from jibsa.domain import DeviceType

SENSOR = simulator_for(DeviceType.SENSOR)


def fresh(*measures: str) -> dict[str, Any]:
    return SENSOR.initial_state(make_device("sensor", measures=measures))


def test_readings_start_at_usual_values_for_what_the_sensor_measures() -> None:
    assert fresh("temperature", "humidity") == {"temperature": 24.5, "humidity": 45}
    assert fresh("pm25", "co2", "air_quality") == {"pm25": 12, "co2": 600, "air_quality": "good"}
    assert fresh("motion", "battery") == {"motion": False, "battery": 87}
    assert fresh("energy")["energy"] == 120.0
    assert fresh("air_quality")["_pm"] == 12


def test_the_drift_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    runs = []
    for seed in (7, 7, 8):
        state = fresh("temperature", "humidity", "co2")
        drive(SENSOR, state, 3600, 60, random.Random(seed))
        runs.append(state)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert runs[0]["temperature"] != 24.5  # it moved


def test_a_minute_is_one_step_and_an_hour_sixty() -> None:
    one, sixty = fresh("temperature"), fresh("temperature")
    drive(SENSOR, one, 3600, 60, random.Random(3))
    sixty.update(SENSOR.advance(sixty, 3600, random.Random(3)))
    assert one == sixty


def test_readings_stay_within_their_bounds_over_weeks() -> None:
    state = fresh("temperature", "humidity", "pm25", "co2", "illuminance", "power")
    rng = random.Random(1)
    seen: dict[str, set[float]] = {m: set() for m in state}
    for _ in range(30):
        state.update(SENSOR.advance(state, 86_400, rng))
        for measure, value in state.items():
            assert WALKS[measure].low <= value <= WALKS[measure].high, (measure, value)
            seen[measure].add(value)
    assert all(len(values) > 3 for values in seen.values())  # and they do wander


def test_a_reading_at_its_bound_does_not_cross_it() -> None:
    state = fresh("temperature", "co2")
    state.update(temperature=32, co2=400)
    rng = random.Random(5)
    highest, lowest = 0.0, 10_000.0
    for _ in range(200):
        state.update(SENSOR.advance(state, 60, rng))
        highest, lowest = max(highest, state["temperature"]), min(lowest, state["co2"])
    assert highest <= 32
    assert lowest == 400


def test_binary_sensors_and_battery_stay_as_they_are() -> None:
    state = fresh("motion", "door", "battery")
    assert SENSOR.advance(state, 7 * 86_400, random.Random(0)) == {}
    state["motion"] = True
    assert SENSOR.advance(state, 86_400, random.Random(0)) == {}


def test_energy_counts_up_by_the_power_drawn() -> None:
    state = fresh("energy")
    drive(SENSOR, state, 3 * 3600, 60)
    assert state["energy"] == 120.12  # 40 W for three hours


def test_air_quality_follows_the_dust_behind_it() -> None:
    with_pm = fresh("pm25", "air_quality")
    with_pm["pm25"] = 70
    with_pm.update(SENSOR.advance(with_pm, 60, random.Random(0)))
    assert with_pm["air_quality"] == "bad"
    alone = fresh("air_quality")
    alone["_pm"] = 90.0
    alone.update(SENSOR.advance(alone, 60, random.Random(0)))
    assert alone["air_quality"] == "very_bad"
