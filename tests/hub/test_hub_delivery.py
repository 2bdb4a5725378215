""" "Done" means the device's own state says so: confirmed, sent (no way to report), or unconfirmed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from jibsa.domain import Command, Delivery, Device, DeviceAction, ErrorCode
from jibsa.hub import AdapterSink, Hub, Receipt
from jibsa.nlu.replies import describe_results
from jibsa.words.replies import reply_text


class BrokerLikeAdapter:
    """A named fake of a broker-backed adapter: `send` returns once "the broker" took the action and
    the device's state comes back later (after `delay` s), scaled the way a device's own scale
    rounds it, or never (devices in `lost`). Devices in `stateless` cannot report at all."""

    name = "sim"

    def __init__(self, delay: float = 0.01) -> None:
        self.sink: AdapterSink | None = None
        self.delay = delay
        self.lost: set[str] = set()
        self.stateless: set[str] = set()
        self.rounding: dict[str, float] = {}  # property -> what the device's scale adds to a set value

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self.sink = sink
        for device in devices:
            if "power" in device.spec.property_names:
                sink.state_reported(device.id, {"power": False})

    async def stop(self) -> None:
        self.sink = None

    async def send(self, action: DeviceAction) -> Receipt:
        if action.device_id in self.stateless:
            return Receipt.NO_STATE
        if action.device_id not in self.lost:
            asyncio.get_running_loop().call_later(self.delay, self._report, action)
        return Receipt.AWAIT_STATE

    def _report(self, action: DeviceAction) -> None:
        values: Mapping[str, Any] = {
            "turn_on": {"power": True},
            "turn_off": {"power": False},
            "lock": {"lock": "locked"},
        }.get(action.intent, {})
        if action.intent == "set" and action.property:
            values = {action.property: action.value + self.rounding.get(action.property, 0)}
        if self.sink is not None:
            self.sink.state_reported(action.device_id, values)


@pytest.fixture
def broker_like() -> BrokerLikeAdapter:
    return BrokerLikeAdapter()


async def test_a_command_is_done_only_once_the_state_shows_it(home, store, clock, broker_like) -> None:
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=2) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp",)))
        (result,) = outcome.results
        assert result.ok and result.delivery is Delivery.DONE
        assert hub.state("lamp")["power"] is True
        assert result.changes == {"power": True}


async def test_a_lost_command_is_unconfirmed_not_done(home, store, clock, broker_like) -> None:
    broker_like.lost.add("door")
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=0.2) as hub:
        outcome = await hub.execute(Command("lock", ("door",)))
        (result,) = outcome.results
        assert not result.ok and not outcome.ok
        assert result.error is ErrorCode.UNCONFIRMED and result.delivery is Delivery.UNCONFIRMED
        assert result.to_dict()["error"] == "unconfirmed"
        assert hub.state("door").get("lock") != "locked"


async def test_a_value_on_the_devices_own_scale_still_confirms(home, store, clock, broker_like) -> None:
    broker_like.rounding["brightness"] = 0.4  # 50 % -> 127 of 254 -> read back as 50.4 %
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=2) as hub:
        outcome = await hub.execute(Command("set", ("lamp",), {"property": "brightness", "value": 50}))
        assert outcome.results[0].delivery is Delivery.DONE


async def test_a_different_value_does_not_confirm(home, store, clock, broker_like) -> None:
    broker_like.rounding["brightness"] = 7  # the device applied something else
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=0.2) as hub:
        outcome = await hub.execute(Command("set", ("lamp",), {"property": "brightness", "value": 50}))
        assert outcome.results[0].error is ErrorCode.UNCONFIRMED


async def test_a_device_that_cannot_report_is_sent_never_done(home, store, clock, broker_like) -> None:
    broker_like.stateless.add("lamp")
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=2) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp",)))
        (result,) = outcome.results
        assert result.ok and result.delivery is Delivery.SENT
        assert result.to_dict()["delivery"] == "sent"


async def test_an_adapter_returning_none_keeps_meaning_applied(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}, confirm_timeout=0.01) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp",)))
        assert outcome.results[0].delivery is Delivery.DONE and "delivery" not in outcome.results[0].to_dict()


async def test_one_lost_target_does_not_spoil_the_others(home, store, clock, broker_like) -> None:
    broker_like.lost.add("bed_light")
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=0.2) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp", "bed_light")))
        by_target = {r.target: r for r in outcome.results}
        assert by_target["lamp"].delivery is Delivery.DONE
        assert by_target["bed_light"].error is ErrorCode.UNCONFIRMED


async def test_replies_say_sent_and_unconfirmed_never_done(home, store, clock, broker_like) -> None:
    broker_like.stateless.add("lamp")
    broker_like.lost.add("door")
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=0.2) as hub:
        sent = await hub.execute(Command("turn_on", ("lamp",)))
        lost = await hub.execute(Command("lock", ("door",)))
    sent_said = describe_results(home, [sent.command], [sent.results])
    lost_said = describe_results(home, [lost.command], [lost.results])
    assert reply_text(sent_said, "ko") == "거실 스탠드에 명령을 보냈어요 (기기가 상태를 알려 주지 않아 확인은 못 해요)."
    korean = reply_text(lost_said, "ko")
    assert korean == "현관문에 명령을 보냈지만 기기 상태로 확인하지 못했어요."
    assert "잠갔어요" not in korean
    assert reply_text(sent_said, "en").startswith("Sent to 거실 스탠드")
    assert "did not confirm" in reply_text(lost_said, "en")


async def test_after_an_unconfirmed_command_the_state_last_heard_proves_nothing(
    home, store, clock, broker_like
) -> None:
    broker_like.lost.add("lamp")  # the lamp takes commands, and its reports are lost on the way
    async with Hub(home, store, clock, {"sim": broker_like}, confirm_timeout=0.2) as hub:
        (first,) = (await hub.execute(Command("turn_on", ("lamp",)))).results
        assert first.error is ErrorCode.UNCONFIRMED
        assert hub.state("lamp")["power"] is False  # what the hub last heard; the lamp may well be on now
        (second,) = (await hub.execute(Command("turn_off", ("lamp",)))).results
        assert not second.ok and second.error is ErrorCode.UNCONFIRMED  # not "done" on the strength of it
        broker_like.lost.clear()
        assert broker_like.sink is not None
        broker_like.sink.state_reported("lamp", {"power": False})  # the lamp speaks again
        (third,) = (await hub.execute(Command("turn_off", ("lamp",)))).results
        assert third.ok and third.delivery is Delivery.DONE
