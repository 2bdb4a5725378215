"""The ThinQ adapter, running LG's real SDK against the local stand-in of LG's cloud."""

from __future__ import annotations

import asyncio

import pytest
from thinq_support import settings_for

from jibsa.adapters.thinq import DEVICE_OPTION, AccountError, ThinQAdapter, create_adapter
from jibsa.adapters.thinq import messages as msg
from jibsa.adapters.thinq.mapping import device_id_for
from jibsa.domain import Device, DeviceAction, DeviceType
from jibsa.hub.adapter import AdapterContext, DeviceError, DeviceNotAnswering
from jibsa.testing import Fault, RecordingSink, WatchedClock
from jibsa.testing import thinq_server as lg
from jibsa.testing.thinq_server import ThinQServer
from jibsa.words import say

AC = device_id_for(lg.AIR_CONDITIONER)
WASHER = device_id_for(lg.WASHER)


async def test_every_supported_device_of_the_account_is_announced_with_its_type(
    adapter: ThinQAdapter, sink: RecordingSink
) -> None:
    kinds = {d.id: d.type for d in sink.discovered}
    assert kinds == {
        device_id_for(lg.WASHER): DeviceType.WASHER,
        device_id_for(lg.DRYER): DeviceType.DRYER,
        device_id_for(lg.DISHWASHER): DeviceType.DISHWASHER,
        AC: DeviceType.AIR_CONDITIONER,
        device_id_for(lg.REFRIGERATOR): DeviceType.REFRIGERATOR,
        device_id_for(lg.AIR_PURIFIER): DeviceType.AIR_PURIFIER,
        device_id_for(lg.ROBOT_CLEANER): DeviceType.ROBOT_VACUUM,
    }  # the styler has no jibsa type and is left out
    ac = next(d for d in sink.discovered if d.id == AC)
    assert (ac.name, ac.maker, ac.vendor) == ("거실 에어컨", "LG", "thinq")
    assert ac.options[DEVICE_OPTION] == lg.AIR_CONDITIONER


async def test_every_device_reports_its_state_in_jibsa_terms(adapter: ThinQAdapter, sink: RecordingSink) -> None:
    assert sink.states[AC] == {
        "power": False, "temperature": 24, "current_temperature": 27.5, "mode": "cool", "fan_speed": "auto",
    }  # fmt: skip
    assert sink.states[WASHER] == {"power": False, "run_state": "idle", "remaining_time": 0}
    assert sink.states[device_id_for(lg.REFRIGERATOR)] == {"temperature": 3, "freezer_temperature": -18, "door": False}
    assert sink.states[device_id_for(lg.AIR_PURIFIER)] == {
        "power": True, "mode": "auto", "fan_speed": "mid", "air_quality": "good",
    }  # fmt: skip
    assert sink.states[device_id_for(lg.ROBOT_CLEANER)] == {"run_state": "docked", "battery": 90}
    for device in sink.discovered:  # every value is one the device's type accepts
        for name, value in sink.states[device.id].items():
            spec = device.property_spec(name)
            assert spec is not None, (device.id, name)
            assert not spec.choices or value in spec.choices


@pytest.mark.parametrize(
    ("thinq_id", "action", "expected"),
    [
        (lg.AIR_CONDITIONER, DeviceAction("", "turn_on"), {"power": True}),
        (lg.AIR_CONDITIONER, DeviceAction("", "set", "temperature", 21), {"temperature": 21}),
        (lg.AIR_CONDITIONER, DeviceAction("", "set", "mode", "dry"), {"mode": "dry"}),
        (lg.AIR_CONDITIONER, DeviceAction("", "set", "fan_speed", "high"), {"fan_speed": "high"}),
        (lg.WASHER, DeviceAction("", "start"), {"run_state": "running", "power": True, "remaining_time": 4200}),
        (lg.DRYER, DeviceAction("", "start"), {"run_state": "running"}),
        (lg.DISHWASHER, DeviceAction("", "start"), {"run_state": "running"}),
        (lg.REFRIGERATOR, DeviceAction("", "set", "temperature", 2), {"temperature": 2}),
        (lg.REFRIGERATOR, DeviceAction("", "set", "freezer_temperature", -20), {"freezer_temperature": -20}),
        (lg.AIR_PURIFIER, DeviceAction("", "set", "mode", "sleep"), {"mode": "sleep"}),
        (lg.AIR_PURIFIER, DeviceAction("", "turn_off"), {"power": False}),
        (lg.ROBOT_CLEANER, DeviceAction("", "start"), {"run_state": "cleaning"}),
        (lg.ROBOT_CLEANER, DeviceAction("", "dock"), {"run_state": "returning"}),
    ],
)
async def test_a_control_changes_the_device_in_the_cloud_and_the_new_state_is_reported(  # noqa: PLR0917 - parametrized
    adapter: ThinQAdapter,
    sink: RecordingSink,
    server: ThinQServer,
    thinq_id: str,
    action: DeviceAction,
    expected: dict[str, object],
) -> None:
    device_id = device_id_for(thinq_id)
    before = server.faults.count(f"{thinq_id}/control", "POST")
    await adapter.send(DeviceAction(device_id, action.intent, action.property, action.value))
    assert server.faults.count(f"{thinq_id}/control", "POST") == before + 1
    assert {k: sink.reports[-1][1][k] for k in expected} == expected
    assert sink.reports[-1][0] == device_id


async def test_the_cloud_state_changes_with_the_control(adapter: ThinQAdapter, server: ThinQServer) -> None:
    await adapter.send(DeviceAction(AC, "set", "temperature", 19))
    assert server.state(lg.AIR_CONDITIONER)["temperature"]["targetTemperature"] == 19
    await adapter.send(DeviceAction(WASHER, "pause"))
    assert server.main_state(lg.WASHER)["runState"]["currentState"] == "PAUSE"


async def test_polling_picks_up_a_change_made_on_the_device(
    adapter: ThinQAdapter, sink: RecordingSink, server: ThinQServer, clock: WatchedClock
) -> None:
    server.update(lg.WASHER, "runState", {"currentState": "RINSING"})
    server.update(lg.WASHER, "timer", {"remainHour": 0, "remainMinute": 25})
    await clock.advance(59)
    assert sink.states[WASHER]["run_state"] == "idle"  # not polled yet
    await clock.advance(1)
    await sink.wait_for(lambda: sink.states[WASHER].get("run_state") == "running")
    assert sink.states[WASHER]["remaining_time"] == 25 * 60


async def test_a_refused_token_gives_a_korean_message_and_is_not_retried(
    adapter: ThinQAdapter, server: ThinQServer
) -> None:
    server.faults.fail_next(Fault.UNAUTHORIZED, path_contains="/control")
    with pytest.raises(AccountError) as caught:
        await adapter.send(DeviceAction(AC, "turn_on"))
    assert caught.value.said == msg.THINQ.token_expired
    assert say(msg.THINQ.token_expired, "ko") == "LG 계정 연결이 만료되었어요. 새 토큰을 설정해 주세요."
    assert caught.value.code == "device_error"
    assert server.faults.count("/control", "POST") == 1
    assert adapter.problem == msg.THINQ.token_expired


@pytest.mark.parametrize(("fault", "wait"), [(Fault.RATE_LIMITED, 3.0), (Fault.SERVER_ERROR, 0.5)])
async def test_a_busy_or_broken_cloud_is_retried_after_a_backoff_then_succeeds(  # noqa: PLR0917 - parametrized
    adapter: ThinQAdapter, server: ThinQServer, clock: WatchedClock, sink: RecordingSink, fault: Fault, wait: float
) -> None:
    server.faults.retry_after_s = 3  # a 429 says how long to wait; a 500 gets the first backoff
    server.faults.fail_next(fault, path_contains="/control")
    sleeps = len(clock.sleeps)
    task = asyncio.create_task(adapter.send(DeviceAction(AC, "turn_on")))
    await clock.wait_sleeps(sleeps + 1)
    assert clock.sleeps[-1] == clock.now() + wait
    await clock.advance(wait - 0.1)
    assert not task.done()
    await clock.advance(0.1)
    await task
    assert server.faults.count("/control", "POST") == 2
    assert sink.states[AC]["power"] is True


async def test_retries_are_bounded(adapter: ThinQAdapter, server: ThinQServer, clock: WatchedClock) -> None:
    server.faults.fail_next(Fault.SERVER_ERROR, 5, path_contains="/control")
    sleeps = len(clock.sleeps)
    task = asyncio.create_task(adapter.send(DeviceAction(AC, "turn_on")))
    for waited, wait in enumerate((0.5, 1.0), start=1):
        await clock.wait_sleeps(sleeps + waited)
        await clock.advance(wait)
    with pytest.raises(DeviceError) as caught:
        await task
    assert caught.value.said == msg.THINQ.cloud_error
    assert server.faults.count("/control", "POST") == 3


async def test_a_retry_after_longer_than_a_command_can_wait_fails_at_once(
    adapter: ThinQAdapter, server: ThinQServer
) -> None:
    server.faults.retry_after_s = 60
    server.faults.fail_next(Fault.RATE_LIMITED, path_contains="/control")
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction(AC, "turn_on"))
    assert caught.value.said == msg.THINQ.rate_limited
    assert server.faults.count("/control", "POST") == 1


async def test_a_cloud_that_hangs_gives_not_answering_naming_the_device(
    adapter: ThinQAdapter, server: ThinQServer
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains="/control")
    with pytest.raises(DeviceNotAnswering) as caught:
        await adapter.send(DeviceAction(AC, "turn_on"))
    assert "거실 에어컨" in str(caught.value) and caught.value.code == "not_answering"
    assert server.faults.count("/control", "POST") == 1  # the device may have acted: not repeated


async def test_one_device_failing_its_poll_leaves_the_others_current(
    adapter: ThinQAdapter, sink: RecordingSink, server: ThinQServer, clock: WatchedClock
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains=f"{lg.AIR_CONDITIONER}/state")
    server.devices[lg.REFRIGERATOR]["online"] = False
    server.update(lg.WASHER, "runState", {"currentState": "RUNNING"})
    await clock.advance(60)
    await sink.wait_for(lambda: sink.available.get(AC) is False)
    assert sink.states[WASHER]["run_state"] == "running"
    assert sink.available[device_id_for(lg.REFRIGERATOR)] is False
    with pytest.raises(DeviceNotAnswering) as caught:
        await adapter.send(DeviceAction(device_id_for(lg.REFRIGERATOR), "set", "temperature", 4))
    assert "냉장고" in str(caught.value)
    await adapter.send(DeviceAction(WASHER, "pause"))  # the others still take commands
    assert sink.states[WASHER]["run_state"] == "paused"
    await clock.advance(60)  # the air conditioner answers again
    await sink.wait_for(lambda: sink.available.get(AC) is True)


async def test_a_start_with_remote_control_off_says_what_to_do(adapter: ThinQAdapter, server: ThinQServer) -> None:
    server.update(lg.WASHER, "remoteControlEnable", {"remoteControlEnabled": False})
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction(WASHER, "start"))
    assert say(caught.value.said, "ko") == "세탁기의 원격 제어가 꺼져 있어요. 기기에서 원격 제어를 켜 주세요."


async def test_an_action_lg_has_no_control_for_is_refused(adapter: ThinQAdapter) -> None:
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction(device_id_for(lg.REFRIGERATOR), "turn_on"))
    assert caught.value.code == "unsupported_intent"


async def test_a_home_file_device_takes_over_its_account_device(
    server: ThinQServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    mine = Device(
        "ac",
        "안방 에어컨",
        DeviceType.AIR_CONDITIONER,
        room="bedroom",
        vendor="thinq",
        options={DEVICE_OPTION: lg.AIR_CONDITIONER},
    )
    by_name = Device("washing", "세탁기", DeviceType.WASHER, vendor="thinq")
    gone = Device("old", "옛 건조기", DeviceType.DRYER, vendor="thinq", options={DEVICE_OPTION: "no-such-device"})
    adapter = ThinQAdapter(settings_for(server), clock)
    await adapter.start([mine, by_name, gone], sink)
    try:
        assert "ac" not in {d.id for d in sink.discovered} and AC not in {d.id for d in sink.discovered}
        assert WASHER not in {d.id for d in sink.discovered}
        assert sink.states["ac"]["mode"] == "cool" and sink.states["washing"]["run_state"] == "idle"
        assert sink.available["old"] is False
        await adapter.send(DeviceAction("ac", "turn_on"))
        assert server.state(lg.AIR_CONDITIONER)["operation"]["airConOperationMode"] == "POWER_ON"
    finally:
        await adapter.stop()


async def test_a_wrong_token_at_start_is_reported_not_raised(
    server: ThinQServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    adapter = ThinQAdapter(settings_for(server, token="expired"), clock)
    await adapter.start([Device("ac", "에어컨", DeviceType.AIR_CONDITIONER, vendor="thinq")], sink)
    try:
        assert adapter.problem == msg.THINQ.token_expired and sink.discovered == []
        with pytest.raises(AccountError):
            await adapter.send(DeviceAction("ac", "turn_on"))
    finally:
        await adapter.stop()


def test_settings_need_a_token_and_a_country_lg_serves(clock: WatchedClock) -> None:
    from jibsa.domain import Home

    home = Home("집", (), ())
    with pytest.raises(ValueError, match="token"):
        create_adapter(AdapterContext(home, clock, {}, {}))
    with pytest.raises(ValueError, match="country"):
        create_adapter(AdapterContext(home, clock, {}, {"token": "t", "country": "XX"}))
    adapter = create_adapter(AdapterContext(home, clock, {}, {"token": "t", "poll_s": 30}))
    assert adapter.settings.country == "KR" and adapter.settings.poll_s == 30
    other = create_adapter(AdapterContext(home, clock, {}, {"token": "u"}))
    assert adapter.settings.client_id == other.settings.client_id  # stable for the home


def test_the_adapter_is_installed_as_an_entry_point() -> None:
    from jibsa.app import adapter_factories

    assert adapter_factories()["thinq"] is create_adapter


async def test_a_slow_cloud_does_not_hold_up_the_start_and_the_devices_join_later(
    server: ThinQServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains="/devices")  # the first listing never answers
    adapter = ThinQAdapter(settings_for(server, timeout_s=0.3, start_wait_s=0.05), clock)
    await adapter.start([], sink)
    try:
        assert sink.discovered == []
        await clock.wait_sleeps(1)  # the listing gave up; the loop waits for the next poll
        assert sink.discovered == []
        await clock.advance(60)
        await sink.wait_for(lambda: len(sink.discovered) == 7)
        assert sink.states[AC]["mode"] == "cool"
    finally:
        await adapter.stop()


async def test_the_device_list_is_read_again_for_added_and_removed_devices(
    server: ThinQServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    adapter = ThinQAdapter(settings_for(server, relist_s=120), clock)
    await adapter.start([], sink)
    try:
        new_id = "99" * 32
        server.devices[new_id] = dict(server.devices[lg.DRYER], alias="작은 건조기")
        del server.devices[lg.ROBOT_CLEANER]
        await clock.advance(60)  # a poll, not yet a listing
        await sink.wait_for(lambda: sink.available.get(device_id_for(lg.ROBOT_CLEANER)) is False)
        await clock.advance(60)
        await sink.wait_for(lambda: device_id_for(lg.ROBOT_CLEANER) in sink.removed)
        assert sink.discovered[-1].id == device_id_for(new_id) and sink.discovered[-1].name == "작은 건조기"
        assert device_id_for(lg.ROBOT_CLEANER) not in {d.id for d in adapter.devices}
    finally:
        await adapter.stop()
