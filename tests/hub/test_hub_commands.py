"""Carrying commands out: results per target, clamps, refusals with reasons, devices that do not answer."""

from __future__ import annotations

from jibsa.domain import Command, ErrorCode, Role, StateChanged
from jibsa.hub import Actor, Hub


async def test_turn_on_changes_state_and_publishes_old_and_new(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        events: list[StateChanged] = []
        hub.bus.listen(lambda e: events.append(e) if isinstance(e, StateChanged) else None)
        outcome = await hub.execute(Command("turn_on", ("lamp",)))
        assert next(r.to_dict() for r in outcome.results)["changes"] == {"power": True}
        assert hub.state("lamp")["power"] is True
        assert events[-1].old["power"] is False and events[-1].new["power"] is True
        assert store.states["t"]["lamp"]["power"] is True  # durable before the result came back


async def test_out_of_range_value_is_clamped_and_said(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        outcome = await hub.execute(Command("set", ("ac",), {"property": "temperature", "value": 35}))
        (result,) = outcome.results
        assert result.ok and result.changes == {"temperature": 30}
        assert [(c.property, c.asked, c.applied) for c in result.clamps] == [("temperature", 35, 30)]


async def test_keep_power_reaches_the_adapter_and_an_odd_one_is_refused(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("set", ("ac",), {"property": "temperature", "value": 23, "keep_power": True}))
        assert adapter.sent[-1].options == {"keep_power": True}
        odd = await hub.execute(Command("set", ("ac",), {"property": "temperature", "value": 22, "keep_power": "yes"}))
        assert odd.results[0].error is ErrorCode.BAD_VALUE and hub.state("ac")["temperature"] == 23


async def test_adjust_becomes_an_absolute_value_from_current_state(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("set", ("ac",), {"property": "temperature", "value": 24}))
        await hub.execute(Command("adjust", ("ac",), {"property": "temperature", "direction": "up", "amount": 2}))
        assert hub.state("ac")["temperature"] == 26


async def test_unsupported_property_and_intent_are_refused_with_reasons(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        bad_prop = await hub.execute(Command("set", ("lamp",), {"property": "temperature", "value": 20}))
        bad_intent = await hub.execute(Command("start", ("lamp",)))
        read_only = await hub.execute(Command("set", ("ac",), {"property": "current_temperature", "value": 20}))
        assert bad_prop.results[0].error is ErrorCode.UNSUPPORTED_PROPERTY
        assert bad_intent.results[0].error is ErrorCode.UNSUPPORTED_INTENT
        assert read_only.results[0].error is ErrorCode.READ_ONLY_PROPERTY
        assert adapter.sent == []


async def test_gas_valve_closes_but_is_never_opened(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        closed = await hub.execute(Command("close", ("gas",)))
        opened = await hub.execute(Command("open", ("gas",)))
        assert closed.ok and hub.state("gas")["valve"] == "closed"
        assert opened.results[0].error is ErrorCode.REFUSED_FOR_SAFETY


async def test_unknown_device_is_reported_and_others_carry_on(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        outcome = await hub.execute(Command("turn_on", ("garage_light", "lamp")))
        by_target = {r.target: r for r in outcome.results}
        assert by_target["garage_light"].error is ErrorCode.UNKNOWN_DEVICE
        assert by_target["lamp"].ok


async def test_device_that_does_not_answer_fails_alone(home, store, clock, adapter) -> None:
    adapter.hang.add("lamp")
    async with Hub(home, store, clock, {"sim": adapter}, command_timeout=0.05) as hub:
        outcome = await hub.execute(Command("turn_on", ("lamp", "bed_light")))
        by_target = {r.target: r for r in outcome.results}
        assert by_target["lamp"].error is ErrorCode.NOT_ANSWERING and "lamp" in by_target["lamp"].message
        assert by_target["bed_light"].ok


async def test_adapter_error_is_a_failed_result(home, store, clock, adapter) -> None:
    adapter.fail.add("lamp")
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        (result,) = (await hub.execute(Command("turn_on", ("lamp",)))).results
        assert result.error is ErrorCode.DEVICE_ERROR and "jammed" in result.message


async def test_devices_of_a_vendor_without_adapter_do_not_answer(home, store, clock) -> None:
    async with Hub(home, store, clock, {}) as hub:
        (result,) = (await hub.execute(Command("turn_on", ("lamp",)))).results
        assert result.error is ErrorCode.NOT_ANSWERING


async def test_unlock_needs_confirmation_and_guests_may_not(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        asked = await hub.execute(Command("unlock", ("door",)))
        guest = await hub.execute(Command("open", ("door",)), actor=Actor("손님", Role.GUEST), confirmed=True)
        confirmed = await hub.execute(Command("open", ("door",)), confirmed=True)
        assert asked.results[0].error is ErrorCode.NEEDS_CONFIRMATION
        assert guest.results[0].error is ErrorCode.NOT_ALLOWED
        assert confirmed.ok and hub.state("door")["lock"] == "unlocked"


async def test_query_answers_from_state(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        hub.states.report("thermo", {"temperature": 26.5, "humidity": 48})
        (one,) = (await hub.execute(Command("query_state", ("thermo",), {"property": "humidity"}))).results
        (whole,) = (await hub.execute(Command("query_state", ("thermo",)))).results
        missing = await hub.execute(Command("query_state", ("thermo",), {"property": "battery"}))
        assert one.state == {"humidity": 48}
        assert whole.state == {"temperature": 26.5, "humidity": 48}
        assert missing.results[0].error is ErrorCode.UNSUPPORTED_PROPERTY


async def test_scene_runs_its_actions(home, store, clock, adapter) -> None:
    async with Hub(home, store, clock, {"sim": adapter}) as hub:
        await hub.execute(Command("turn_on", ("lamp", "bed_light")))
        outcome = await hub.execute(Command("run_scene", (), {"scene": "night"}))
        assert {r.target for r in outcome.results} == {"lamp", "bed_light", "door"}
        assert hub.state("lamp")["power"] is False and hub.state("door")["lock"] == "locked"
        unknown = await hub.execute(Command("run_scene", (), {"scene": "party"}))
        assert unknown.error == "unknown_scene"
