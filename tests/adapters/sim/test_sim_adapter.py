"""The simulator as an adapter: reports on start, on commands and on ticks of the injected clock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from sim_support import RecordingSink, make_device

from jibsa.adapters.sim import SimAdapter, create_adapter
from jibsa.domain import Device, DeviceAction, Home, Room
from jibsa.hub.adapter import AdapterContext, DeviceError, DeviceNotAnswering
from jibsa.hub.clock import ManualClock

DEVICES = (
    make_device("light", "lamp"),
    make_device("washer", "washer"),
    make_device("curtain", "curtain"),
    make_device("air_conditioner", "ac"),
    make_device("sensor", "thermo", measures=("temperature", "humidity")),
    make_device("refrigerator", "fridge"),
    make_device("gas_valve", "gas"),
)


def context(
    devices: tuple[Device, ...] = DEVICES, saved: Mapping[str, Mapping[str, Any]] | None = None, **settings: Any
) -> AdapterContext:
    home = Home("시험 집", (Room("living", "거실"),), devices)
    return AdapterContext(home, ManualClock(), saved or {}, settings)


async def started(sink: RecordingSink, ctx: AdapterContext | None = None) -> tuple[SimAdapter, ManualClock]:
    ctx = ctx or context()
    adapter = create_adapter(ctx)
    await adapter.start(ctx.home.devices, sink)
    assert isinstance(ctx.clock, ManualClock)
    return adapter, ctx.clock


def public(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not k.startswith("_")}


async def test_start_reports_the_full_state_of_every_device(sink: RecordingSink) -> None:
    adapter, _ = await started(sink)
    assert [d for d, _ in sink.reports] == [d.id for d in DEVICES]
    assert sink.reports[0] == ("lamp", {"power": False, "brightness": 100, "color": "white"})
    assert public(sink.states["washer"]) == {"power": False, "run_state": "idle", "remaining_time": 0, "cycle": "표준"}
    # One room: the thermometer reads the air the air conditioner reads (rooms.py).
    assert sink.states["thermo"] == {"temperature": sink.states["ac"]["current_temperature"], "humidity": 45}
    assert sink.availability == []
    assert adapter.name == "sim"
    await adapter.stop()


async def test_saved_state_is_taken_over_the_initial_one(sink: RecordingSink) -> None:
    saved = {"lamp": {"power": True, "brightness": 40, "volume": 3}, "gas": {"valve": "closed"}}
    adapter, _ = await started(sink, context(saved=saved))
    assert sink.states["lamp"] == {"power": True, "brightness": 40, "color": "white"}  # volume is not a light's
    assert sink.states["gas"] == {"valve": "closed"}
    await adapter.stop()


async def test_send_reports_the_new_values_before_returning(sink: RecordingSink) -> None:
    adapter, _ = await started(sink)
    sink.reports.clear()
    await adapter.send(DeviceAction("lamp", "set", "brightness", 30))
    assert sink.reports == [("lamp", {"brightness": 30, "power": True})]
    assert adapter.state("lamp") == {"power": True, "brightness": 30, "color": "white"}
    await adapter.stop()


async def test_refusals_and_unknown_devices_raise_device_errors(sink: RecordingSink) -> None:
    adapter, _ = await started(sink)
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction("gas", "open"))
    assert caught.value.code == "refused_for_safety"
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction("nowhere", "turn_on"))
    assert caught.value.code == "unknown_device"
    await adapter.send(DeviceAction("gas", "close"))
    assert sink.states["gas"] == {"valve": "closed"}
    await adapter.stop()


async def test_a_tick_reports_only_the_devices_that_changed_and_only_what_changed(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("washer", "start"))
    sink.reports.clear()
    await clock.advance(1)
    assert sink.reports == [("washer", {"remaining_time": 4199, "_remaining": 4199.0})]
    await clock.advance(59)
    assert [d for d, _ in sink.reports].count("washer") == 60
    assert set(sink.reports_for("thermo")[0]) <= {"temperature", "humidity"}  # drifted once, at the minute
    assert {d for d, _ in sink.reports} <= {"washer", "thermo"}
    assert sink.states["washer"]["remaining_time"] == 4140
    await adapter.stop()


async def test_the_curtain_reports_its_way_open_tick_by_tick(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("curtain", "open"))
    sink.reports.clear()
    await clock.advance(12)
    assert [r["position"] for r in sink.reports_for("curtain")] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert "curtain" not in adapter.active_devices
    await adapter.stop()


async def test_bookkeeping_alone_is_not_reported_but_goes_with_the_next_visible_change(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("ac", "turn_on"))
    sink.reports.clear()
    await clock.advance(3)  # 28 → 27.98: still 28.0 when rounded
    assert sink.reports_for("ac") == []
    await clock.advance(5)
    report = sink.reports_for("ac")[0]
    assert report["current_temperature"] == 27.9
    assert report["_current"] == pytest.approx(adapter.state("ac")["_current"])
    await adapter.stop()


async def test_only_devices_with_something_going_on_are_ticked(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    assert adapter.active_devices == ()
    await adapter.send(DeviceAction("washer", "start", options={"cycle": "탈수"}))
    await adapter.send(DeviceAction("lamp", "turn_on"))
    assert adapter.active_devices == ("washer",)
    await clock.advance(12 * 60)
    assert adapter.active_devices == ()
    assert sink.states["washer"]["run_state"] == "finished"
    await adapter.stop()


async def test_ten_thousand_idle_lights_are_not_ticked() -> None:
    lights = tuple(make_device("light", f"light_{i}") for i in range(10_000))
    sink = RecordingSink()
    adapter, clock = await started(sink, context((*lights, make_device("washer", "washer")), tick_s=1))
    await adapter.send(DeviceAction("washer", "start"))
    sink.reports.clear()
    await clock.advance(5)
    assert adapter.active_devices == ("washer",)
    assert {d for d, _ in sink.reports} == {"washer"}
    await adapter.stop()


async def test_sensors_drift_once_a_minute_and_the_same_seed_drifts_the_same() -> None:
    seen = []
    for _ in range(2):
        recorder = RecordingSink()
        adapter, clock = await started(recorder, context(seed=11))
        recorder.reports.clear()
        await clock.advance(59)
        assert recorder.reports_for("thermo") == []
        await clock.advance(1)
        await clock.advance(600)
        assert len(recorder.reports_for("thermo")) >= 5
        seen.append(recorder.states["thermo"])
        await adapter.stop()
    assert seen[0] == seen[1]
    assert seen[0] != {"temperature": 24.5, "humidity": 45}


async def test_an_opened_fridge_door_warms_it_and_is_reported(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    adapter.inject("fridge", {"door": True})
    assert sink.states["fridge"]["door"] is True
    await clock.advance(120)
    assert sink.states["fridge"]["temperature"] == 4.2
    await adapter.stop()


async def test_a_device_that_stops_answering_raises_and_is_reported_unavailable(sink: RecordingSink) -> None:
    adapter, _ = await started(sink)
    adapter.set_answering("lamp", False)
    assert sink.availability == [("lamp", False)]
    with pytest.raises(DeviceNotAnswering) as caught:
        await adapter.send(DeviceAction("lamp", "turn_on"))
    assert caught.value.code == "not_answering"
    adapter.set_answering("lamp", True)
    assert sink.availability == [("lamp", False), ("lamp", True)]
    await adapter.send(DeviceAction("lamp", "turn_on"))
    assert sink.states["lamp"]["power"] is True
    await adapter.stop()


async def test_a_silent_washer_keeps_running_and_reports_everything_when_it_answers_again(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("washer", "start"))
    adapter.set_answering("washer", False)
    sink.reports.clear()
    await clock.advance(100)
    assert sink.reports_for("washer") == []
    adapter.set_answering("washer", True)
    assert sink.reports_for("washer")[-1]["remaining_time"] == 4100
    await adapter.stop()


async def test_the_home_file_option_makes_a_device_unresponsive_from_the_start(sink: RecordingSink) -> None:
    devices = (make_device("light", "lamp"), make_device("light", "dead", options={"sim_unresponsive": True}))
    adapter, _ = await started(sink, context(devices))
    assert sink.availability == [("dead", False)]
    assert [d for d, _ in sink.reports] == ["lamp"]
    with pytest.raises(DeviceNotAnswering):
        await adapter.send(DeviceAction("dead", "turn_on"))
    await adapter.stop()


async def test_a_restart_from_saved_state_continues_the_washer_cycle(sink: RecordingSink) -> None:
    first, clock = await started(sink)
    await first.send(DeviceAction("washer", "start"))
    await clock.advance(600)
    await first.stop()
    saved = dict(sink.states)  # what the hub persisted from the reports
    assert saved["washer"]["remaining_time"] == 3600
    again = RecordingSink()
    second, clock = await started(again, context(saved=saved))
    assert public(again.states["washer"]) == {
        "power": True,
        "run_state": "running",
        "remaining_time": 3600,
        "cycle": "표준",
    }
    assert "washer" in second.active_devices
    await clock.advance(3600)
    assert (again.states["washer"]["run_state"], again.states["washer"]["remaining_time"]) == ("finished", 0)
    await second.stop()


async def test_nothing_is_reported_after_stop(sink: RecordingSink) -> None:
    adapter, clock = await started(sink)
    await adapter.send(DeviceAction("washer", "start"))
    await adapter.stop()
    sink.reports.clear()
    await clock.advance(120)
    assert sink.reports == []


def test_settings_are_read_and_checked() -> None:
    adapter = create_adapter(context(tick_s="10", drift_s=30))
    assert (adapter.tick_s, adapter.drift_s) == (10.0, 30.0)
    with pytest.raises(ValueError, match="tick_s must be a positive number"):
        create_adapter(context(tick_s=0))
    with pytest.raises(ValueError, match="drift_s"):
        create_adapter(context(drift_s="soon"))
