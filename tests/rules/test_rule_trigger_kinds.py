"""A trigger kind is one registration: a kind from another package (here tests/rules/battery_trigger.py)
is checked in the rules' JSON form, heard in a sentence, read back, watched and fired, with no change
to jibsa's code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from battery_trigger import KIND as BATTERY_LOW
from tests_rules_support import engine_of, notifications

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Device, DeviceType, Home, Role
from jibsa.hub import Actor, ManualClock, settle
from jibsa.nlu import Parser
from jibsa.rules.grammar import RuleSentences
from jibsa.rules.model import RuleFormatError
from jibsa.rules.schema import read_rule
from jibsa.rules.triggers import installed_kinds
from jibsa.words.replies import understood_reply

KINDS = installed_kinds().adding(BATTERY_LOW)
OWNER = Actor("엄마", Role.OWNER, "cli")
RULE = {"name": "배터리 알림", "when": {"kind": "battery_low", "below": 20}, "do": [{"kind": "notify"}]}


@pytest.fixture
def home(home: Home) -> Home:
    """The rules' home with a door sensor that runs on a battery."""
    sensor = Device("door_sensor", "현관 문 센서", DeviceType.SENSOR, room="entrance", measures=("door", "battery"))
    return home.with_devices((sensor,))


@pytest.fixture
async def running(tmp_path: Path, home: Home, clock: ManualClock) -> AsyncIterator[RunningHome]:
    async with await open_home(Settings(data_dir=tmp_path), clock=clock, home=home, trigger_kinds=KINDS) as opened:
        yield opened


def test_the_kind_is_checked_in_the_json_form(home: Home) -> None:
    rule = read_rule(RULE, home, kinds=KINDS)
    assert rule.when.to_dict() == {"kind": "battery_low", "below": 20.0}
    with pytest.raises(RuleFormatError, match=r"when\.below: 500 is outside 1\.\.100"):
        read_rule({**RULE, "when": {"kind": "battery_low", "below": 500}}, home, kinds=KINDS)
    with pytest.raises(RuleFormatError) as not_installed:
        read_rule(RULE, home)
    assert not_installed.value.problem == (
        "'battery_low' is not one of state, finished, clock, sun, weather, presence, energy_tier, energy_bill"
    )


def test_the_kind_is_heard_and_read_back(home: Home) -> None:
    understood = Parser(home, readers=(RuleSentences(KINDS),)).parse("배터리 부족하면 알려줘")
    [command] = understood.commands
    assert command.params["rule"]["when"] == {"kind": "battery_low"}
    assert understood_reply(understood) == "배터리가 부족하면 알려 드릴게요. 이렇게 저장할까요?"
    english = Parser(home, readers=(RuleSentences(KINDS),)).parse("when a battery runs low, notify me")
    assert english.commands[0].params["rule"]["when"] == {"kind": "battery_low"}
    assert understood_reply(english) == "When a battery runs low, I'll let you know. Shall I save it?"
    unknown = Parser(home).parse("배터리 부족하면 알려줘")  # where the kind is not installed
    assert all(c.intent != "add_rule" for c in unknown.commands)


async def test_a_rule_of_the_kind_is_made_by_talking_and_fires(running: RunningHome) -> None:
    talk = running.conversation
    await talk.handle("배터리 부족하면 알려줘", session="s", actor=OWNER)
    saved = await talk.handle("응", session="s", actor=OWNER)
    assert saved.reply == "'배터리 부족하면 알려줘' 규칙을 저장했어요."
    [rule] = engine_of(running).rules.values()
    assert rule.when.kind == "battery_low"
    running.hub.states.report("door_sensor", {"battery": 40})
    running.hub.states.report("door_sensor", {"battery": 12})
    await settle()
    assert await notifications(running) == ["현관 문 센서의 배터리가 부족해요."]
    running.hub.states.report("door_sensor", {"battery": 11})  # still low: it fired when it became low
    await settle()
    assert len(await notifications(running)) == 1
