"""The SmartThings adapter against the local stand-in of SmartThings' REST API."""

from __future__ import annotations

import asyncio

import pytest
from st_support import settings_for

from jibsa.adapters.smartthings import DEVICE_OPTION, AccountError, SmartThingsAdapter, create_adapter
from jibsa.adapters.smartthings import messages as msg
from jibsa.adapters.smartthings.mapping import device_id_for
from jibsa.domain import Device, DeviceAction, DeviceType, Home
from jibsa.hub.adapter import AdapterContext, DeviceError, DeviceNotAnswering
from jibsa.testing import Fault, RecordingSink, WatchedClock
from jibsa.testing import smartthings_server as st
from jibsa.testing.smartthings_server import SmartThingsServer
from jibsa.words import say

AC = device_id_for(st.AIR_CONDITIONER)
WASHER = device_id_for(st.WASHER)
TV = device_id_for(st.TV)
LIGHT = device_id_for(st.LIGHT)
LOCK = device_id_for(st.DOOR_LOCK)
VACUUM = device_id_for(st.ROBOT_VACUUM)


async def test_every_device_is_announced_with_its_type_and_room(
    adapter: SmartThingsAdapter, sink: RecordingSink
) -> None:
    found = {d.id: (d.type, d.room) for d in sink.discovered}
    assert found == {
        AC: (DeviceType.AIR_CONDITIONER, "living"),
        WASHER: (DeviceType.WASHER, None),  # 다용도실 is not a room of this home
        VACUUM: (DeviceType.ROBOT_VACUUM, "living"),
        TV: (DeviceType.TV, "bedroom"),
        LOCK: (DeviceType.DOOR_LOCK, None),
        LIGHT: (DeviceType.LIGHT, "living"),
    }  # the hub has no jibsa type and is left out
    tv = next(d for d in sink.discovered if d.id == TV)
    assert (tv.name, tv.maker, tv.vendor, tv.options[DEVICE_OPTION]) == ("안방 TV", "Samsung", "smartthings", st.TV)


async def test_every_device_reports_its_state_in_jibsa_terms(adapter: SmartThingsAdapter, sink: RecordingSink) -> None:
    assert sink.states[AC] == {
        "power": False, "temperature": 24, "current_temperature": 28, "mode": "cool", "fan_speed": "auto",
    }  # fmt: skip
    assert sink.states[WASHER] == {"power": False, "run_state": "idle", "remaining_time": 0}
    assert sink.states[VACUUM] == {"run_state": "docked", "battery": 80}
    assert sink.states[TV] == {"power": True, "volume": 12, "mute": False, "channel": 7}
    assert sink.states[LOCK] == {"lock": "locked"}
    assert sink.states[LIGHT] == {"power": False, "brightness": 60}
    for device in sink.discovered:
        for name, value in sink.states[device.id].items():
            spec = device.property_spec(name)
            assert spec is not None, (device.id, name)
            assert not spec.choices or value in spec.choices


@pytest.mark.parametrize(
    ("st_id", "action", "capability", "attribute", "cloud", "reported"),
    [
        (st.AIR_CONDITIONER, DeviceAction("", "turn_on"), "switch", "switch", "on", {"power": True}),
        (st.AIR_CONDITIONER, DeviceAction("", "set", "temperature", 20), "thermostatCoolingSetpoint",
         "coolingSetpoint", 20, {"temperature": 20}),
        (st.AIR_CONDITIONER, DeviceAction("", "set", "mode", "fan"), "airConditionerMode", "airConditionerMode",
         "wind", {"mode": "fan"}),
        (st.AIR_CONDITIONER, DeviceAction("", "set", "fan_speed", "mid"), "airConditionerFanMode", "fanMode",
         "medium", {"fan_speed": "mid"}),
        (st.WASHER, DeviceAction("", "start"), "washerOperatingState", "machineState", "run",
         {"run_state": "running"}),
        (st.ROBOT_VACUUM, DeviceAction("", "start"), "robotCleanerMovement", "robotCleanerMovement", "cleaning",
         {"run_state": "cleaning"}),
        (st.ROBOT_VACUUM, DeviceAction("", "dock"), "robotCleanerMovement", "robotCleanerMovement", "homing",
         {"run_state": "returning"}),
        (st.TV, DeviceAction("", "set", "volume", 30), "audioVolume", "volume", 30, {"volume": 30}),
        (st.TV, DeviceAction("", "set", "channel", 11), "tvChannel", "tvChannel", "11", {"channel": 11}),
        (st.TV, DeviceAction("", "set", "mute", True), "audioMute", "mute", "muted", {"mute": True}),
        (st.DOOR_LOCK, DeviceAction("", "unlock"), "lock", "lock", "unlocked", {"lock": "unlocked"}),
        (st.LIGHT, DeviceAction("", "set", "brightness", 35), "switchLevel", "level", 35, {"brightness": 35}),
    ],
)  # fmt: skip
async def test_a_command_changes_the_device_in_the_cloud_and_the_new_state_is_reported(  # noqa: PLR0917 - parametrized
    adapter: SmartThingsAdapter,
    sink: RecordingSink,
    server: SmartThingsServer,
    st_id: str,
    action: DeviceAction,
    capability: str,
    attribute: str,
    cloud: object,
    reported: dict[str, object],
) -> None:
    device_id = device_id_for(st_id)
    await adapter.send(DeviceAction(device_id, action.intent, action.property, action.value))
    assert server.value(st_id, capability, attribute) == cloud
    assert sink.reports[-1][0] == device_id
    assert {k: sink.reports[-1][1][k] for k in reported} == reported


async def test_a_running_washer_reports_its_remaining_time_on_the_clock(
    adapter: SmartThingsAdapter, sink: RecordingSink, server: SmartThingsServer, clock: WatchedClock
) -> None:
    server.update(st.WASHER, "washerOperatingState", "machineState", "run")
    server.update(st.WASHER, "washerOperatingState", "completionTime", "2025-12-31T23:30:00Z")  # 08:30 KST
    await clock.advance(60)
    await sink.wait_for(lambda: sink.states[WASHER]["run_state"] == "running")
    assert sink.states[WASHER]["remaining_time"] == 29 * 60


async def test_polling_picks_up_a_change_made_with_the_remote(
    adapter: SmartThingsAdapter, sink: RecordingSink, server: SmartThingsServer, clock: WatchedClock
) -> None:
    server.update(st.TV, "audioVolume", "volume", 40)
    await clock.advance(59)
    assert sink.states[TV]["volume"] == 12
    await clock.advance(1)
    await sink.wait_for(lambda: sink.states[TV]["volume"] == 40)


async def test_a_refused_token_gives_a_korean_message_and_is_not_retried(
    adapter: SmartThingsAdapter, server: SmartThingsServer
) -> None:
    server.faults.fail_next(Fault.UNAUTHORIZED, path_contains="/commands")
    with pytest.raises(AccountError) as caught:
        await adapter.send(DeviceAction(LIGHT, "turn_on"))
    assert caught.value.said == msg.SMARTTHINGS.token_expired
    assert say(msg.SMARTTHINGS.token_expired, "ko") == "SmartThings 계정 연결이 만료되었어요. 새 토큰을 설정해 주세요."
    assert caught.value.code == "device_error"
    assert server.faults.count("/commands", "POST") == 1


async def test_a_rate_limit_is_retried_after_the_time_retry_after_asks(
    adapter: SmartThingsAdapter, server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    server.faults.retry_after_s = 3
    server.faults.fail_next(Fault.RATE_LIMITED, path_contains="/commands")
    sleeps = len(clock.sleeps)
    task = asyncio.create_task(adapter.send(DeviceAction(LIGHT, "turn_on")))
    await clock.wait_sleeps(sleeps + 1)
    assert clock.sleeps[-1] == clock.now() + 3  # Retry-After, longer than the first backoff
    await clock.advance(2)
    assert not task.done()
    await clock.advance(1)
    await task
    assert server.faults.count("/commands", "POST") == 2 and sink.states[LIGHT]["power"] is True


async def test_a_retry_after_longer_than_a_command_can_wait_fails_at_once(
    adapter: SmartThingsAdapter, server: SmartThingsServer
) -> None:
    server.faults.retry_after_s = 120
    server.faults.fail_next(Fault.RATE_LIMITED, path_contains="/commands")
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction(LIGHT, "turn_on"))
    assert caught.value.said == msg.SMARTTHINGS.rate_limited


async def test_a_server_error_while_polling_is_retried_with_backoff(
    adapter: SmartThingsAdapter, server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    server.faults.fail_next(Fault.SERVER_ERROR, 2, path_contains=f"{st.LIGHT}/status")
    server.update(st.LIGHT, "switch", "switch", "on")
    sleeps = len(clock.sleeps)
    await clock.advance(60)
    await clock.wait_sleeps(sleeps + 1)
    await clock.advance(0.5)
    await clock.wait_sleeps(sleeps + 2)
    assert clock.sleeps[-1] == clock.now() + 1.0  # the second backoff is twice the first
    await clock.advance(1.0)
    await sink.wait_for(lambda: sink.states[LIGHT]["power"] is True)
    assert LIGHT not in sink.available  # never marked unavailable: the retry succeeded


async def test_a_cloud_that_hangs_gives_not_answering_naming_the_device(
    adapter: SmartThingsAdapter, server: SmartThingsServer
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains="/commands")
    with pytest.raises(DeviceNotAnswering) as caught:
        await adapter.send(DeviceAction(LOCK, "unlock"))
    assert "현관 도어락" in str(caught.value)
    assert server.faults.count("/commands", "POST") == 1
    assert server.value(st.DOOR_LOCK, "lock", "lock") == "locked"


async def test_one_device_failing_its_poll_leaves_the_others_current(
    adapter: SmartThingsAdapter, sink: RecordingSink, server: SmartThingsServer, clock: WatchedClock
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains=f"{st.AIR_CONDITIONER}/status")
    del server.devices[st.ROBOT_VACUUM]  # removed from the account: 404
    server.update(st.TV, "switch", "switch", "off")
    await clock.advance(60)
    await sink.wait_for(lambda: sink.available.get(AC) is False and sink.available.get(VACUUM) is False)
    assert sink.states[TV]["power"] is False
    await adapter.send(DeviceAction(LIGHT, "turn_on"))
    assert sink.states[LIGHT]["power"] is True
    await clock.advance(60)
    await sink.wait_for(lambda: sink.available.get(AC) is True)


async def test_an_action_without_a_capability_is_refused(adapter: SmartThingsAdapter) -> None:
    with pytest.raises(DeviceError) as caught:
        await adapter.send(DeviceAction(LOCK, "set", "volume", 10))
    assert caught.value.code == "unsupported_intent"


async def test_a_home_file_device_takes_over_its_account_device(
    server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    mine = Device(
        "front_door", "현관문", DeviceType.DOOR_LOCK, vendor="smartthings", options={DEVICE_OPTION: st.DOOR_LOCK}
    )
    by_name = Device("tv", "안방 TV", DeviceType.TV, room="bedroom", vendor="smartthings")
    adapter = SmartThingsAdapter(settings_for(server), clock)
    await adapter.start([mine, by_name], sink)
    try:
        announced = {d.id for d in sink.discovered}
        assert LOCK not in announced and TV not in announced and "front_door" not in announced
        assert sink.states["front_door"] == {"lock": "locked"} and sink.states["tv"]["volume"] == 12
        await adapter.send(DeviceAction("front_door", "unlock"))
        assert server.value(st.DOOR_LOCK, "lock", "lock") == "unlocked"
    finally:
        await adapter.stop()


async def test_a_wrong_token_at_start_is_reported_not_raised(
    server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    adapter = SmartThingsAdapter(settings_for(server, token="expired"), clock)
    await adapter.start([], sink)
    try:
        assert adapter.problem == msg.SMARTTHINGS.token_expired and sink.discovered == []
        with pytest.raises(AccountError):
            await adapter.send(DeviceAction("anything", "turn_on"))
    finally:
        await adapter.stop()


def test_settings_need_a_token(clock: WatchedClock) -> None:
    home = Home("집", (), ())
    with pytest.raises(ValueError, match="token"):
        create_adapter(AdapterContext(home, clock, {}, {}))
    adapter = create_adapter(AdapterContext(home, clock, {}, {"token": "t", "poll_s": "15"}))
    assert adapter.settings.poll_s == 15 and adapter.settings.base_url == "https://api.smartthings.com"


def test_the_adapter_is_installed_as_an_entry_point() -> None:
    from jibsa.app import adapter_factories

    assert adapter_factories()["smartthings"] is create_adapter


async def test_a_slow_cloud_does_not_hold_up_the_start_and_the_devices_join_later(
    server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    server.faults.fail_next(Fault.HANG, path_contains="/v1/locations")
    adapter = SmartThingsAdapter(settings_for(server, timeout_s=0.3, start_wait_s=0.05), clock)
    await adapter.start([], sink)
    try:
        assert sink.discovered == []
        await clock.wait_sleeps(1)
        assert sink.discovered == []
        await clock.advance(60)
        await sink.wait_for(lambda: len(sink.discovered) == 6)
    finally:
        await adapter.stop()


async def test_the_device_list_is_read_again_for_added_and_removed_devices(
    server: SmartThingsServer, clock: WatchedClock, sink: RecordingSink
) -> None:
    adapter = SmartThingsAdapter(settings_for(server, relist_s=60), clock)
    await adapter.start([], sink)
    try:
        new_id = "7e6bfc42-fc78-9acc-52b6-98b8dae791d3"
        server.devices[new_id] = dict(server.devices[st.LIGHT], label="안방 조명", room="r-bedroom")
        del server.devices[st.TV]
        await clock.advance(60)
        await sink.wait_for(lambda: TV in sink.removed and any(d.id == device_id_for(new_id) for d in sink.discovered))
    finally:
        await adapter.stop()
