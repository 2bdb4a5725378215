"""The simulator wakes only when something can change: an idle home sleeps on nothing, a running machine
wakes every tick until it is done, sensors at their drift, a metered fridge when its duty cycle turns.
Counted as sleeps on the injected clock (`WatchedClock.sleeps`), never timed."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from sim_support import RecordingSink, make_device

from jibsa.adapters.sim import SimAdapter, create_adapter
from jibsa.adapters.sim import power as sim_power
from jibsa.adapters.sim.models_climate import AIR_PURIFIER, BOILER
from jibsa.adapters.sim.models_vacuum import ROBOT_VACUUM
from jibsa.domain import Device, DeviceAction, Home, Room
from jibsa.hub.adapter import AdapterContext
from jibsa.testing.standin import WatchedClock

HOUR = 3600.0
IDLE = (
    make_device("light", "lamp"),
    make_device("washer", "washer"),
    make_device("curtain", "curtain"),
    make_device("air_conditioner", "ac"),
    make_device("refrigerator", "fridge"),
    make_device("gas_valve", "gas"),
    make_device("robot_vacuum", "vacuum"),
)


class TimedSink(RecordingSink):
    """Records when each report came, by the clock."""

    def __init__(self, clock: WatchedClock) -> None:
        super().__init__()
        self.clock = clock
        self.times: list[tuple[float, str, dict[str, Any]]] = []

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        super().state_reported(device_id, values)
        self.times.append((self.clock.now(), device_id, dict(values)))


async def started(devices: tuple[Device, ...], **settings: Any) -> tuple[SimAdapter, WatchedClock, TimedSink]:
    clock = WatchedClock()
    ctx = AdapterContext(Home("시험 집", (Room("living", "거실"),), devices), clock, {}, settings)
    adapter = create_adapter(ctx)
    sink = TimedSink(clock)
    await adapter.start(devices, sink)
    return adapter, clock, sink


async def test_an_idle_home_sleeps_on_nothing() -> None:
    adapter, clock, sink = await started(IDLE)
    reported, slept = len(sink.reports), len(clock.sleeps)
    await clock.advance(24 * HOUR)
    assert len(clock.sleeps) == slept == 0
    assert len(sink.reports) == reported
    await adapter.stop()


async def test_a_command_wakes_a_machine_which_ticks_until_it_is_done_and_then_sleeps_again() -> None:
    adapter, clock, sink = await started(IDLE)
    await adapter.send(DeviceAction("washer", "start", options={"cycle": "탈수"}))  # 12 minutes
    await clock.advance(5)
    assert sink.states["washer"]["remaining_time"] == 12 * 60 - 5
    await clock.advance(HOUR)
    assert sink.states["washer"]["run_state"] == "finished"
    finished_at = next(t for t, d, v in sink.times if d == "washer" and v.get("run_state") == "finished")
    assert finished_at == clock.now() - HOUR + 12 * 60 - 5  # on the tick its cycle ended
    slept = len(clock.sleeps)
    assert slept == 12 * 60  # one tick a second while it ran, none after
    await clock.advance(HOUR)
    assert len(clock.sleeps) == slept
    await adapter.stop()


async def test_an_injected_change_wakes_the_room_and_it_settles() -> None:
    adapter, clock, sink = await started(IDLE)
    adapter.inject("ac", {"_ambient": 31.0})  # a hot day: the room warms towards 31 °C with the AC off
    await clock.advance(120)
    assert 28 < sink.states["ac"]["current_temperature"] < 31
    await clock.advance(24 * HOUR)
    assert sink.states["ac"]["current_temperature"] == 31
    slept = len(clock.sleeps)
    await clock.advance(HOUR)
    assert len(clock.sleeps) == slept
    await adapter.stop()


async def test_sensors_wake_the_home_once_a_drift() -> None:
    sensor = make_device("sensor", "thermo", measures=("temperature", "humidity"))
    adapter, clock, sink = await started((*IDLE, sensor), drift_s=60)
    await clock.advance(HOUR)
    assert len(clock.sleeps) == 61  # sixty drifts in the hour, and the sleep until the next one
    assert len(sink.reports_for("thermo")) > 1
    await adapter.stop()


async def test_a_metered_fridge_reports_each_turn_of_its_cycle_on_the_tick_after_it() -> None:
    fridge = make_device("refrigerator", "fridge")
    adapter, clock, sink = await started((fridge,), power=True)
    start, state = clock.now(), adapter.state("fridge")
    await clock.advance(13 * HOUR)  # a defrost comes every 12 hours
    seen = [(t, v["power_w"]) for t, d, v in sink.times if d == "fridge" and t > start]
    expected, drawn = [], sim_power.watts(fridge, state, start)
    for second in range(1, int(13 * HOUR) + 1):  # what ticking every second would have reported
        watts = sim_power.watts(fridge, state, start + second)
        if watts != drawn:
            expected.append((start + second, watts))
            drawn = watts
    assert seen == expected
    assert 200.0 in {w for _, w in seen}  # the defrost heater came on
    assert len(clock.sleeps) <= 2 * len(expected) + 1  # the turns of its cycle (and the defrost's), not every second
    await adapter.stop()


async def test_a_stopped_adapter_is_not_woken_by_a_change() -> None:
    adapter, clock, _ = await started(IDLE)
    await adapter.stop()
    adapter.inject("ac", {"_ambient": 31.0})
    await clock.advance(HOUR)
    assert len(clock.sleeps) == 0


async def test_a_warming_room_wakes_when_its_reading_or_draw_turns_over_as_ticking_each_second_would() -> None:
    boiler = make_device("boiler", "boiler")  # on out of the box, 21 °C warming to 22
    adapter, clock, sink = await started((boiler,), power=True)
    start, state = clock.now(), adapter.state("boiler")
    seconds = int(4 * HOUR)
    await clock.advance(seconds)
    seen = [(t, v) for t, d, v in sink.times if d == "boiler" and t > start]
    shown = [(t, v["current_temperature"]) for t, v in seen if "current_temperature" in v]
    drawn = [(t, v["power_w"]) for t, v in seen if "power_w" in v]
    expected_shown, expected_drawn = [], []
    watts = sim_power.watts(boiler, state, start)
    for second in range(1, seconds + 1):  # the model ticked every second, as the simulator once did
        state.update(BOILER.advance(state, 1.0, random.Random(0)))
        if state["current_temperature"] != (expected_shown[-1][1] if expected_shown else 21):
            expected_shown.append((start + second, state["current_temperature"]))
        if (now_watts := sim_power.watts(boiler, state, start + second)) != watts:
            expected_drawn.append((start + second, now_watts))
            watts = now_watts
    assert shown == expected_shown
    assert drawn == expected_drawn
    assert shown[-1][1] == 22
    assert len(clock.sleeps) < len(expected_shown) + 2 * len(expected_drawn) + 2  # not 14,400
    await adapter.stop()


async def test_a_purifier_wakes_when_the_air_changes_grade_as_ticking_each_second_would() -> None:
    purifier = make_device("air_purifier", "purifier")
    adapter, clock, sink = await started((purifier,))
    await adapter.send(DeviceAction("purifier", "turn_on"))
    await adapter.send(DeviceAction("purifier", "set", "fan_speed", "high"))
    start, state = clock.now(), adapter.state("purifier")
    await clock.advance(2 * HOUR)
    grades = [(t, v["air_quality"]) for t, d, v in sink.times if d == "purifier" and "air_quality" in v and t > start]
    expected, grade = [], state["air_quality"]
    for second in range(1, int(2 * HOUR) + 1):
        state.update(AIR_PURIFIER.advance(state, 1.0, random.Random(0)))
        if state["air_quality"] != grade:
            expected.append((start + second, state["air_quality"]))
            grade = state["air_quality"]
    assert grades == expected == [(expected[0][0], "good")]
    assert adapter.active_devices == ()  # settled on clean air
    assert len(clock.sleeps) <= 3  # the grade's turn, the settling, and no more
    await adapter.stop()


async def test_a_robot_vacuum_wakes_when_its_battery_shows_another_percent_as_ticking_each_second_would() -> None:
    vacuum = make_device("robot_vacuum", "vacuum")
    adapter, clock, sink = await started((vacuum,), power=True)
    await adapter.send(DeviceAction("vacuum", "start", options={"area": "living"}))  # 20 minutes, then home
    start, state = clock.now(), adapter.state("vacuum")
    seconds = int(2 * HOUR)
    await clock.advance(seconds)
    seen = [(t, v) for t, d, v in sink.times if d == "vacuum" and t > start]
    shown = [(t, v[k]) for t, v in seen for k in ("run_state", "battery", "power_w") if k in v]
    expected, last = [], {k: state.get(k) for k in ("run_state", "battery", "power_w")}
    for second in range(1, seconds + 1):
        state.update(ROBOT_VACUUM.advance(state, 1.0, random.Random(0)))
        now = {"run_state": state["run_state"], "battery": state["battery"]}
        now["power_w"] = sim_power.watts(vacuum, state, start + second)
        expected.extend((start + second, v) for k, v in now.items() if v != last[k])
        last = now
    assert sorted(shown, key=str) == sorted(expected, key=str)
    assert sink.states["vacuum"]["run_state"] == "docked" and sink.states["vacuum"]["battery"] == 100
    assert adapter.active_devices == ()
    assert len(clock.sleeps) < 200  # a percent a minute while it cleans, half a minute while it charges
    await adapter.stop()
