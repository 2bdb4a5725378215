"""“왜?”: every state change records its cause, and the answer names the real one — a rule and its
trigger, a person and how, a schedule, or the device itself."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests_rules_support import Api, add_rule, engine_of

from jibsa.app import RunningHome
from jibsa.domain import Command, Role
from jibsa.domain.korean import clock_text
from jibsa.hub import Actor, JobFired, ManualClock

SEOUL = ZoneInfo("Asia/Seoul")
MOM = Actor("엄마", Role.OWNER, "conversation:192.0.2.1")
AFTERNOON = datetime(2026, 1, 1, 16, 0, tzinfo=SEOUL).timestamp()


async def last_change_time(running: RunningHome, device: str) -> str:
    await running.hub.flush()
    entries = await running.store.history(running.hub.home.id, device)
    return clock_text(datetime.fromtimestamp(entries[-1].at, SEOUL).strftime("%H:%M"))


@pytest.mark.parametrize("clock", [AFTERNOON], indirect=True)
async def test_why_names_the_rule_and_its_trigger(running: RunningHome, clock: ManualClock) -> None:
    await add_rule(
        running,
        {
            "name": "정원등 자동 켜기",
            "when": {"kind": "sun", "event": "sunset"},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["garden_light"]}],
        },
    )
    await clock.advance(3 * 3600)
    await engine_of(running).settled()
    turn = await running.conversation.handle("정원등 왜 켜졌어?", actor=MOM)
    when = await last_change_time(running, "garden_light")
    assert turn.reply == f"해가 져서 '정원등 자동 켜기' 규칙이 {when}에 켰어요."
    assert when.startswith("오후 5시")  # Seoul's sunset on the first of January


async def test_why_names_the_person_and_how(running: RunningHome) -> None:
    await running.conversation.handle("거실 불 켜줘", actor=MOM)
    turn = await running.conversation.handle("거실 불 왜 켜졌어?", actor=MOM)
    assert turn.reply == f"엄마님이 말로 {await last_change_time(running, 'living_light')}에 켰어요."


async def test_why_names_a_schedule(running: RunningHome, clock: ManualClock) -> None:
    fired = asyncio.Event()
    running.hub.bus.listen(lambda e: fired.set() if isinstance(e, JobFired) else None)
    await running.hub.execute(Command("turn_on", ("living_light",)))
    await running.conversation.handle("1분 뒤에 거실 불 꺼줘", actor=MOM)
    await clock.advance(61)
    await fired.wait()  # the scheduler stores its progress (real I/O) before it fires
    turn = await running.conversation.handle("거실 불 왜 꺼졌어?", actor=MOM)
    assert turn.reply == f"엄마님이 예약해 둔 대로 {await last_change_time(running, 'living_light')}에 껐어요."


async def test_why_names_the_device_itself(running: RunningHome, clock: ManualClock) -> None:
    await running.hub.execute(Command("turn_on", ("living_light",)))
    await clock.advance(120)  # long after the command
    running.hub.states.report("living_light", {"power": False})  # its wall switch, reported by the adapter
    turn = await running.conversation.handle("why is the living room light off?", actor=MOM)
    assert (
        turn.reply
        == "It changed at the device itself at "
        + datetime.fromtimestamp(clock.now(), SEOUL).strftime("%H:%M")
        + " (its button, a remote, or the device on its own)."
    )


async def test_the_history_api_shows_causes(api: Api, running: RunningHome) -> None:
    await add_rule(
        running,
        {
            "name": "켜지면 정원등",
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["garden_light"]}],
            "when": {"kind": "state", "device": "living_light", "property": "power", "to": True},
        },
    )
    await api.call("아이", "POST", "/api/devices/living_light/commands", json={"intent": "turn_on"})
    await engine_of(running).settled()
    await running.hub.flush()
    light = (await api.call("아이", "GET", "/api/history?device=living_light")).json()[-1]
    garden = (await api.call("아이", "GET", "/api/history?device=garden_light")).json()[-1]
    # the cause names the person and how they came in, as the audit log does ("token:<address>")
    assert (light["cause"]["by"], light["cause"]["via"].split(":")[0]) == ("아이", "token")
    assert garden["cause"]["via"] == "rule:" + next(iter(engine_of(running).rules))
