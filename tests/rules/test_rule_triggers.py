"""Each trigger kind, on the manual clock, through the real hub, store and simulated devices."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from astral import Observer
from astral.sun import sunset
from tests_rules_support import add_rule, engine_of, notifications

from jibsa.app import RunningHome
from jibsa.domain import Command
from jibsa.hub import ManualClock, settle
from jibsa.hub.notifications import Announcement
from jibsa.rules.commands import RuleCommands
from jibsa.rules.engine import RuleEngine
from jibsa.words import say

SEOUL = ZoneInfo("Asia/Seoul")
NOTIFY = [{"kind": "notify"}]


async def test_an_appliance_finishing_notifies_once(running: RunningHome, clock: ManualClock) -> None:
    await add_rule(
        running, {"name": "세탁 알림", "when": {"kind": "finished", "device": "washer"}, "do": NOTIFY, "once": True}
    )
    await running.hub.execute(Command("start", ("washer",)))
    for _ in range(200):
        if running.hub.state("washer")["run_state"] == "finished":
            break
        await clock.advance(60)
    assert running.hub.state("washer")["run_state"] == "finished"
    assert await notifications(running) == ["세탁기가 끝났어요."]
    assert engine_of(running).rules == {}  # a one-shot rule is gone once it fired


async def test_a_state_held_for_a_while_fires_only_after_the_while(running: RunningHome, clock: ManualClock) -> None:
    await add_rule(
        running,
        {
            "name": "현관문 열림",
            "when": {"kind": "state", "device": "front_door", "property": "lock", "to": "unlocked", "for_s": 600},
            "do": NOTIFY,
        },
    )
    await running.hub.execute(Command("unlock", ("front_door",)), confirmed=True)
    await clock.advance(300)
    await running.hub.execute(Command("lock", ("front_door",)))
    await clock.advance(600)
    assert await notifications(running) == []  # locked again before ten minutes
    await running.hub.execute(Command("unlock", ("front_door",)), confirmed=True)
    await clock.advance(599)
    assert await notifications(running) == []
    await clock.advance(2)
    assert await notifications(running) == ["현관문이 10분 넘게 열려 있어요."]


async def test_a_threshold_fires_when_crossed_not_while_above(running: RunningHome) -> None:
    await add_rule(
        running,
        {
            "name": "제습",
            "when": {"kind": "state", "device": "thermo", "property": "humidity", "above": 70},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["dehumidifier"]}],
        },
    )
    states = running.hub.states
    states.report("thermo", {"humidity": 65})
    await engine_of(running).settled()
    assert running.hub.state("dehumidifier")["power"] is False
    states.report("thermo", {"humidity": 72})
    await engine_of(running).settled()
    assert running.hub.state("dehumidifier")["power"] is True
    await running.hub.execute(Command("turn_off", ("dehumidifier",)))
    states.report("thermo", {"humidity": 75})  # still above: not crossed again
    await engine_of(running).settled()
    assert running.hub.state("dehumidifier")["power"] is False


FRIDAY_BEFORE_MIDNIGHT = datetime(2026, 1, 2, 23, 59, 30, tzinfo=SEOUL).timestamp()
THURSDAY_AFTERNOON = datetime(2026, 1, 1, 17, 0, tzinfo=SEOUL).timestamp()


@pytest.mark.parametrize("clock", [FRIDAY_BEFORE_MIDNIGHT], indirect=True)
async def test_a_clock_trigger_fires_on_its_days(running: RunningHome, clock: ManualClock) -> None:
    await add_rule(
        running,
        {
            "name": "주말 자정",
            "when": {"kind": "clock", "at": "00:00", "days": "weekends"},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["living_light"]}],
        },
    )
    await add_rule(
        running,
        {
            "name": "평일 자정",
            "when": {"kind": "clock", "at": "00:00", "days": "weekdays"},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["garden_light"]}],
        },
    )
    await clock.advance(20)
    assert running.hub.state("living_light")["power"] is False
    await clock.advance(20)  # Saturday 00:00:10
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is True
    assert running.hub.state("garden_light")["power"] is False  # Saturday is not a weekday


@pytest.mark.parametrize("clock", [THURSDAY_AFTERNOON], indirect=True)
async def test_sunset_with_an_offset_follows_seouls_sun(running: RunningHome, clock: ManualClock) -> None:
    await add_rule(
        running,
        {
            "name": "정원등 자동 켜기",
            "when": {"kind": "sun", "event": "sunset", "offset_s": -600},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["garden_light"]}],
        },
    )
    expected = sunset(Observer(37.566, 126.978), date=date(2026, 1, 1), tzinfo=SEOUL).timestamp() - 600
    await clock.advance(expected - clock.now() - 5)
    assert running.hub.state("garden_light")["power"] is False
    await clock.advance(10)
    await engine_of(running).settled()
    assert running.hub.state("garden_light")["power"] is True
    assert 17 <= datetime.fromtimestamp(clock.now(), SEOUL).hour < 18


class RainThenDust:
    """The weather source's test double: answers what it was told the weather is."""

    def __init__(self) -> None:
        self.now: frozenset[str] = frozenset()

    async def conditions(self, city: str) -> frozenset[str]:
        assert city == "서울"
        return self.now


async def test_weather_rain_closes_the_window(running: RunningHome, clock: ManualClock) -> None:
    await engine_of(running).stop()
    weather = RainThenDust()
    engine = RuleEngine(running.hub, engine_of(running).store, weather=weather, weather_poll_s=60)
    running.hub.rules, running.rules = RuleCommands(engine), engine
    await engine.start()
    await running.hub.execute(Command("open", ("window",)))
    await clock.advance(30)
    await add_rule(
        running,
        {
            "name": "비 오면 창문",
            "when": {"kind": "weather", "weather": "rain"},
            "do": [{"kind": "command", "intent": "close", "targets": ["window"]}],
        },
    )
    weather.now = frozenset({"rain"})
    await clock.advance(60)
    await engine.settled()
    await clock.advance(60)
    assert running.hub.state("window")["position"] == 0


async def test_presence_arrive_and_nobody_home(running: RunningHome) -> None:
    await add_rule(
        running,
        {
            "name": "엄마 오면",
            "when": {"kind": "presence", "event": "arrive", "person": "엄마"},
            "do": [{"kind": "command", "intent": "turn_on", "targets": ["living_light"]}],
        },
    )
    await add_rule(
        running,
        {
            "name": "다 나가면",
            "when": {"kind": "presence", "event": "nobody_home"},
            "do": [{"kind": "scene", "scene": "away"}],
        },
    )
    presence = engine_of(running).presence
    presence.set("아빠", True)
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is False  # not 엄마
    presence.set("엄마", True)
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is True
    presence.set("엄마", False)
    await engine_of(running).settled()
    assert running.hub.state("living_light")["power"] is True  # 아빠 is still home
    presence.set("아빠", False)
    await engine_of(running).settled()
    await settle()
    assert running.hub.state("living_light")["power"] is False


async def test_a_finished_timer_announces_itself(running: RunningHome, clock: ManualClock) -> None:
    said: list[str] = []
    announced = asyncio.Event()

    def heard(event: object) -> None:
        if isinstance(event, Announcement):
            said.append(say(event.said, "ko"))
            announced.set()

    running.hub.bus.listen(heard)
    await running.hub.execute(Command("set_timer", (), {"duration_s": 600}))
    await clock.advance(599)
    assert await notifications(running) == []
    await clock.advance(2)
    await announced.wait()  # the scheduler stores its progress (real I/O) before the timer fires
    assert await notifications(running) == ["10분 타이머가 끝났어요."]
    assert said == ["10분 타이머가 끝났어요."]
