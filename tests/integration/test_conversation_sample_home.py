"""The whole path on the sample home: a sentence, the parser, the hub, the simulated device, the reply."""

from __future__ import annotations

from jibsa.domain import Command, StateChanged


async def test_turning_a_light_off_changes_state_and_says_so(running) -> None:
    hub = running.hub
    await hub.execute(Command("turn_on", ("living_ceiling",)))
    events: list[StateChanged] = []
    hub.bus.listen(lambda e: events.append(e) if isinstance(e, StateChanged) else None)
    turn = await running.conversation.handle("거실 천장등 꺼줘")
    assert [c.intent for c in turn.commands] == ["turn_off"]
    assert hub.state("living_ceiling")["power"] is False
    assert any(e.device_id == "living_ceiling" and e.old["power"] and not e.new["power"] for e in events)
    assert "천장등" in turn.reply


async def test_unlocking_the_front_door_waits_for_a_yes(running) -> None:
    hub = running.hub
    first = await running.conversation.handle("현관문 열어줘", session="s")
    assert first.needs_confirmation and hub.state("front_door")["lock"] == "locked"
    second = await running.conversation.handle("응", session="s")
    assert not second.needs_confirmation
    assert hub.state("front_door")["lock"] == "unlocked"


async def test_washer_question_is_answered_from_the_simulated_cycle(running) -> None:
    await running.conversation.handle("세탁기 돌려줘")
    await running.hub.clock.advance(600)  # type: ignore[attr-defined]
    turn = await running.conversation.handle("세탁 언제 끝나?")
    assert [c.intent for c in turn.commands] == ["query_state"]
    assert running.hub.state("washer")["remaining_time"] == 60 * 60  # a 70-minute cycle, 10 minutes in
    assert turn.reply == "세탁이 1시간 뒤에 끝나요."


async def test_talk_that_asks_for_nothing_changes_nothing(running) -> None:
    before = running.hub.snapshot()
    turn = await running.conversation.handle("오늘 기분이 좋네")
    assert turn.commands == () and running.hub.snapshot() == before
    assert turn.reply


async def test_english_request_gets_an_english_reply(running) -> None:
    turn = await running.conversation.handle("turn on the living room lights")
    assert running.hub.state("living_ceiling")["power"] is True
    assert turn.language == "en" and turn.reply == "I turned on the ceiling light and the floor lamp.", turn.reply
    korean = await running.conversation.handle("거실 불 꺼줘")
    assert korean.language == "ko" and korean.reply.endswith("요.")


async def test_what_is_already_so_is_said_to_be_so_not_done(running) -> None:
    """ "거실 불 꺼줘" with the lights off said "껐어요": nothing was done, and a Korean speaker hears a lie."""
    hub = running.hub
    off = await running.conversation.handle("거실 불 꺼줘")
    assert off.reply == "거실 천장등과 거실 스탠드는 이미 꺼져 있어요.", off.reply
    on = await running.conversation.handle("거실 불 켜줘")
    assert hub.state("living_ceiling")["power"] is True and on.reply == "거실 천장등과 거실 스탠드를 켰어요."
    again = await running.conversation.handle("거실 불 켜줘")
    assert again.reply == "거실 천장등과 거실 스탠드는 이미 켜져 있어요."
    locked = await running.conversation.handle("현관문 잠가줘")
    assert hub.state("front_door")["lock"] == "locked" and locked.reply == "현관문은 이미 잠겨 있어요."
    english = await running.conversation.handle("turn on the living room lights")
    assert english.reply == "Already on: the ceiling light and the floor lamp."


async def test_which_devices_are_on_names_only_those_that_are(running) -> None:
    """ "켜진 거 있어?" listed all 27 devices' states; before going out a person wants what is left on."""
    hub = running.hub
    on_at_start = sorted(d for d, state in hub.snapshot().items() if state.get("power") is True)
    await hub.execute(Command("turn_on", ("kids_light",)))
    turn = await running.conversation.handle("켜진 거 있어?")
    assert [dict(c.params) for c in turn.commands] == [{"state": "on"}]
    names = [running.home.device(d).name for d in sorted({*on_at_start, "kids_light"})]  # type: ignore[union-attr]
    assert all(name in turn.reply for name in names) and turn.reply.endswith("켜져 있어요."), turn.reply
    assert "거실 천장등" not in turn.reply and "현관문" not in turn.reply
    await hub.execute(Command("turn_off", tuple(d for d in hub.snapshot() if d in (*on_at_start, "kids_light"))))
    assert (await running.conversation.handle("거실에 켜진 거 있어?")).reply == "켜져 있는 건 없어요."
    await hub.execute(Command("unlock", ("front_door",)), confirmed=True)
    assert hub.state("front_door")["lock"] == "unlocked"
    opened = await running.conversation.handle("is anything open?")
    assert "front door" in opened.reply.lower() and opened.reply.startswith("Open now:"), opened.reply


async def test_a_question_about_one_device_still_says_its_state(running) -> None:
    turn = await running.conversation.handle("현관문 잠겨 있어?")
    assert [dict(c.params) for c in turn.commands] == [{}] and turn.reply == "현관문은 잠겨 있어요."


async def test_cancelling_every_schedule_says_so(running) -> None:
    await running.conversation.handle("30분 뒤에 보일러 꺼")
    await running.conversation.handle("내일 아침 7시에 거실 불 켜줘")
    timers = await running.conversation.handle("타이머 뭐 있어?")
    assert timers.reply.startswith("맞춰 둔 타이머는 없고, 예약해 둔 일이 2개 있어요."), timers.reply
    turn = await running.conversation.handle("예약 다 취소해")
    assert [dict(c.params) for c in turn.commands] == [{"all": True}]
    assert turn.reply == "예약 2개를 모두 취소했어요." and running.hub.pending_jobs() == []


async def test_lowering_what_is_off_leaves_it_off_and_says_so(running) -> None:
    hub = running.hub
    await hub.execute(Command("turn_off", ("living_ceiling", "living_stand", "living_tv")))
    dim = await running.conversation.handle("거실 불 어둡게")
    assert dim.reply == "거실 천장등과 거실 스탠드는 꺼져 있어서 그대로 뒀어요.", dim.reply
    quiet = await running.conversation.handle("TV 소리 좀 줄여")
    assert quiet.reply == "거실 TV는 꺼져 있어서 그대로 뒀어요.", quiet.reply
    assert [hub.state(d)["power"] for d in ("living_ceiling", "living_stand", "living_tv")] == [False] * 3
