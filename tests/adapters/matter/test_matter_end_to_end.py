"""Matter end to end, with no hardware: a real controller (python-matter-server) and matter.js virtual
devices in a network namespace. Each device prints its own state; that, not jibsa's, says a command
reached it."""

from __future__ import annotations

import asyncio

import pytest
from matter_support import next_event

from jibsa.app import RunningHome
from jibsa.domain import AvailabilityChanged, Role, StateChanged
from jibsa.hub import Actor, HomeChanged
from jibsa.testing.matter_lab import MatterLab, VirtualDevices

pytestmark = pytest.mark.slow


async def commission(running: RunningHome, code: str, name: str) -> str:
    """Add a device by conversation, as a person does, and name it; the id of the new device."""
    conversation = running.conversation
    before = {d.id for d in running.hub.home.devices} | set(running.hub.adoption.waiting)
    asked = await conversation.handle("매터 기기 추가해줘")
    assert "페어링 코드" in asked.reply
    added = await conversation.handle(f"{code[:4]}-{code[4:7]}-{code[7:]}")
    assert "추가했어요" in added.reply, added.reply
    new = [d.id for d in running.hub.home.devices if d.id not in before]
    new += [i for i in running.hub.adoption.waiting if i not in before]
    assert len(new) == 1, new
    named = await conversation.handle(name)
    assert named.reply.startswith("알겠어요"), named.reply
    return new[0]


async def device_state(devices: VirtualDevices, device_id: str, **expected: object) -> dict[str, object]:
    return await asyncio.to_thread(devices.wait_state, device_id, 30.0, **expected)


async def test_a_light_added_by_its_code_is_named_and_switched_on_by_conversation(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("light", "stand"))
    code = devices.devices["stand"].manual_code
    device_id = await commission(matter_home, code, "거실 스탠드로 해줘")
    device = matter_home.hub.home.device(device_id)
    assert device is not None and (device.name, device.room, device.type.value) == ("거실 스탠드", "living", "light")

    turn = await matter_home.conversation.handle("거실 스탠드 켜줘")
    assert turn.reply == "거실 스탠드를 켰어요.", turn.reply
    assert [r.ok for r in turn.results] == [True]
    assert (await device_state(devices, "stand", onOff=True))["onOff"] is True  # the light's own state

    turn = await matter_home.conversation.handle("스탠드 밝기 40으로")
    assert [r.ok for r in turn.results] == [True], turn.reply
    await device_state(devices, "stand", level=round(40 * 254 / 100))
    assert matter_home.hub.state(device_id)["brightness"] == 40


async def test_a_change_made_on_the_device_shows_in_jibsas_state_and_events(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("plug", "kettle"))
    device_id = await commission(matter_home, devices.devices["kettle"].manual_code, "주방 전기포트로 해줘")
    with matter_home.hub.bus.subscribe(
        accept=lambda e: isinstance(e, StateChanged) and e.device_id == device_id and e.new.get("power") is True
    ) as events:
        devices.request({"id": "kettle", "set": {"onOff": True}})  # someone presses the plug's own button
        event = await next_event(events)
    assert event.cause is None  # the device itself, not a command
    assert matter_home.hub.state(device_id)["power"] is True


async def test_a_device_that_goes_away_is_unavailable_and_answers_again_when_it_is_back(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("cover", "blind"))
    device_id = await commission(matter_home, devices.devices["blind"].manual_code, "안방 블라인드로 해줘")
    with matter_home.hub.bus.subscribe(
        accept=lambda e: isinstance(e, AvailabilityChanged) and e.device_id == device_id
    ) as events:
        devices.request({"id": "blind", "op": "offline"})
        assert (await next_event(events, 90)).available is False
        turn = await matter_home.conversation.handle("안방 블라인드 열어줘")
        assert [r.ok for r in turn.results] == [False]
        devices.request({"id": "blind", "op": "online"})
        assert (await next_event(events, 90)).available is True
    turn = await matter_home.conversation.handle("안방 블라인드 열어줘")
    assert [r.ok for r in turn.results] == [True], turn.reply
    await device_state(devices, "blind", lift=0)  # Matter counts closed: 0 is fully open
    assert matter_home.hub.state(device_id)["position"] == 100


async def test_after_the_controller_restarts_states_and_commands_work_again(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("light", "desk"))
    device_id = await commission(matter_home, devices.devices["desk"].manual_code, "안방 책상 조명으로 해줘")
    with matter_home.hub.bus.subscribe(
        accept=lambda e: isinstance(e, AvailabilityChanged) and e.device_id == device_id
    ) as events:
        await asyncio.to_thread(lab.stop_controller)
        assert (await next_event(events)).available is False
        turn = await matter_home.conversation.handle("책상 조명 켜줘")
        assert [r.error.value if r.error else None for r in turn.results] == ["not_answering"]
        await asyncio.to_thread(lab.start_controller)
        assert (await next_event(events, 90)).available is True
    with matter_home.hub.bus.subscribe(
        accept=lambda e: isinstance(e, StateChanged) and e.device_id == device_id and e.new.get("brightness") == 20
    ) as events:
        devices.request({"id": "desk", "set": {"level": 51}})  # re-subscribed: the device's reports arrive
        await next_event(events, 60)
    turn = await matter_home.conversation.handle("책상 조명 켜줘")
    assert [r.ok for r in turn.results] == [True], turn.reply
    await device_state(devices, "desk", onOff=True)


async def test_a_lock_is_adopted_by_the_owner_who_adds_it_and_unlocking_still_asks(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("lock", "door"))
    device_id = await commission(matter_home, devices.devices["door"].manual_code, "현관 도어락으로 해줘")
    assert device_id not in matter_home.hub.adoption.waiting
    asked = await matter_home.conversation.handle("현관 도어락 열어줘")
    assert asked.needs_confirmation and not asked.results
    assert devices.devices["door"].state["lockState"] == 1  # still locked: nothing was sent
    done = await matter_home.conversation.handle("응")
    assert [r.ok for r in done.results] == [True], done.reply
    await device_state(devices, "door", lockState=2)


async def test_only_an_owner_may_add_a_device(lab: MatterLab, matter_home: RunningHome) -> None:
    devices = lab.devices(("plug", "lamp"))
    code = devices.devices["lamp"].manual_code
    for role in (Role.MEMBER, Role.GUEST):
        turn = await matter_home.conversation.handle(code, actor=Actor("someone", role))
        assert "추가했어요" not in turn.reply
        assert turn.outcomes[0].error == "not_allowed" or turn.refused, turn
    assert not [d for d in matter_home.hub.home.devices if d.vendor == "matter" and "lamp" in d.name]


async def test_a_removed_node_leaves_the_home(lab: MatterLab, matter_home: RunningHome) -> None:
    devices = lab.devices(("plug", "fan"))
    device_id = await commission(matter_home, devices.devices["fan"].manual_code, "거실 선풍기 플러그로 해줘")
    with matter_home.hub.bus.subscribe(
        accept=lambda e: isinstance(e, HomeChanged) and device_id in e.removed
    ) as events:
        assert await matter_home.matter.remove(device_id)  # the controller removes the node from its fabric
        await next_event(events)
    assert matter_home.hub.home.device(device_id) is None
    turn = await matter_home.conversation.handle("거실 선풍기 플러그 켜줘")
    assert not turn.results
