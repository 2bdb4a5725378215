"""An intent is one registration: a row from another package (tests/integration/count_devices_intent.py)
is heard by the parser, carried out by the hub under the policy the row states, and answered in the
words it brings, with no change to jibsa's code. The dashboard's buttons and the API's device intents
are the table's rows too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import get_args

import pytest
from count_devices_intent import COUNT_DEVICES, count_devices

from jibsa.api.routes_devices import device_body
from jibsa.api.schemas import DeviceIntent
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Role
from jibsa.domain.intents import BUILTIN_INTENTS, Handler
from jibsa.hub import Actor, ManualClock
from jibsa.nlu import Parser

INTENTS = BUILTIN_INTENTS.adding(COUNT_DEVICES)


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningHome]:
    async with await open_home(
        Settings(data_dir=tmp_path), clock=ManualClock(), intents=INTENTS, skills={"count_devices": count_devices}
    ) as opened:
        yield opened


def test_the_parser_hears_the_intent_by_its_phrases(running: RunningHome) -> None:
    home = running.hub.home
    [command] = Parser(home, intents=INTENTS).parse("우리 집에 기기 몇 개 있어?").commands
    assert (command.intent, command.targets) == ("count_devices", ())
    assert [c.intent for c in Parser(home, intents=INTENTS).parse("how many devices do we have").commands] == [
        "count_devices"
    ]
    assert "count_devices" not in [c.intent for c in Parser(home).parse("우리 집에 기기 몇 개 있어?").commands]


async def test_the_intent_is_carried_out_and_answered_in_its_words(running: RunningHome) -> None:
    count = len(running.hub.home.devices)
    korean = await running.conversation.handle("기기 몇 개야?", actor=Actor("엄마", Role.OWNER))
    assert [c.intent for c in korean.commands] == ["count_devices"]
    assert korean.reply == f"기기가 {count}개 있어요."
    english = await running.conversation.handle("how many devices are there?", actor=Actor("엄마", Role.OWNER))
    assert english.reply == f"There are {count} devices."


async def test_the_policy_reads_the_row(running: RunningHome) -> None:
    refused = await running.conversation.handle("기기 몇 개야?", actor=Actor("손님", Role.GUEST))
    assert refused.outcomes == () and refused.refused == "guests may not do this"


def test_the_api_and_the_dashboard_read_the_table(running: RunningHome) -> None:
    assert set(get_args(DeviceIntent)) == BUILTIN_INTENTS.names(handler=Handler.DEVICE)
    washer = running.hub.home.device("washer")
    door = running.hub.home.device("front_door")
    assert washer is not None and door is not None
    assert device_body(running.hub, washer)["buttons"] == ["start", "pause", "stop"]
    assert device_body(running.hub, door)["buttons"] == ["lock", "unlock"]
