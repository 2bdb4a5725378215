"""Rules on energy: "2단계 넘기 전에 알려줘", "전기요금 5만 원 넘으면 알려줘", "에어컨 4시간 넘게 켜져
있으면 알려줘" — heard, read back, saved after a yes, and told when this month's use (a simulated 3 kW
heater, the clock moved on) crosses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests_rules_support import engine_of, notifications

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Device, DeviceType, Home, Role
from jibsa.domain.home_energy import EnergySettings
from jibsa.energy import compute_bill, cycle_starting, load_tariff
from jibsa.energy.tally import EnergyCounted
from jibsa.hub import Actor, ManualClock
from jibsa.nlu import Parser
from jibsa.rules.model import Rule, RuleFormatError
from jibsa.rules.schema import read_rule
from jibsa.words.energy import kwh_text
from jibsa.words.replies import understood_reply

OWNER = Actor("엄마", Role.OWNER, "cli")
HEATER_W = 3000.0
JANUARY = cycle_starting(2026, 1)
HOUR = 3600.0


@pytest.fixture
def home(home: Home) -> Home:
    """The rules' home with a 3 kW electric heater on a plug (the simulator draws its rating while on),
    billed from the 1st."""
    heater = Device(
        "heater", "전기 히터", DeviceType.SWITCH, room="living", aliases=("히터",), options={"rated_w": HEATER_W}
    )
    return replace(home.with_devices((heater,)), energy=EnergySettings(reading_day=1))


@pytest.fixture
async def running(tmp_path: Path, home: Home, clock: ManualClock) -> AsyncIterator[RunningHome]:
    settings = Settings(data_dir=tmp_path, adapter_settings={"sim": {"tick_s": 60}, "energy": {"flush_s": 3600}})
    async with await open_home(settings, clock=clock, home=home) as opened:
        yield opened


def _when(home: Home, said: str) -> tuple[dict[str, object], str]:
    understood = Parser(home).parse(said)
    [command] = understood.commands
    assert command.intent == "add_rule", said
    return command.params["rule"]["when"], understood_reply(understood)


def test_the_three_sentences_are_heard_and_read_back(home: Home) -> None:
    assert _when(home, "2단계 넘기 전에 알려줘") == (
        {"kind": "energy_tier", "tier": 2, "margin_kwh": 10.0},
        "누진 2단계까지 10kWh 남으면 알려 드릴게요. 이렇게 저장할까요?",
    )
    assert _when(home, "누진 3단계까지 20kWh 남으면 알려줘")[0] == {
        "kind": "energy_tier",
        "tier": 3,
        "margin_kwh": 20.0,
    }
    assert _when(home, "누진 2단계 넘으면 알려줘") == (
        {"kind": "energy_tier", "tier": 2},
        "누진 2단계로 넘어가면 알려 드릴게요. 이렇게 저장할까요?",
    )
    assert _when(home, "전기요금 5만 원 넘으면 알려줘") == (
        {"kind": "energy_bill", "above_won": 50000},
        "이번 달 전기요금이 50,000원을 넘으면 알려 드릴게요. 이렇게 저장할까요?",
    )
    assert _when(home, "전기세 70,000원 넘으면 알려줘")[0] == {"kind": "energy_bill", "above_won": 70000}
    assert _when(home, "에어컨 4시간 넘게 켜져 있으면 알려줘")[0] == {
        "kind": "state",
        "device": "living_ac",
        "property": "power",
        "to": True,
        "for_s": 14400.0,
    }


def test_english_is_heard_too(home: Home) -> None:
    when, reply = _when(home, "when the electricity bill goes over 50,000 won, tell me")
    assert when == {"kind": "energy_bill", "above_won": 50000}
    assert reply == "When this month's electricity bill goes over 50,000 won, I'll let you know. Shall I save it?"
    when, reply = _when(home, "when we are about to pass tier 2, let me know")
    assert when == {"kind": "energy_tier", "tier": 2, "margin_kwh": 10.0}
    assert reply == "When we are 10 kWh from tier 2, I'll let you know. Shall I save it?"


def test_the_json_form_is_checked(home: Home) -> None:
    rule = read_rule(
        {"name": "n", "when": {"kind": "energy_tier", "tier": 2, "margin_kwh": 15}, "do": [{"kind": "notify"}]}, home
    )
    assert rule.when.to_dict() == {"kind": "energy_tier", "tier": 2, "margin_kwh": 15.0}
    with pytest.raises(RuleFormatError, match=r"when\.tier: 7 is outside 2\.\.4"):
        read_rule({"name": "n", "when": {"kind": "energy_tier", "tier": 7}, "do": [{"kind": "notify"}]}, home)
    with pytest.raises(RuleFormatError, match=r"when\.tier: 2\.5 is not a whole tier"):
        read_rule({"name": "n", "when": {"kind": "energy_tier", "tier": 2.5}, "do": [{"kind": "notify"}]}, home)
    with pytest.raises(RuleFormatError, match=r"when\.above_won: an energy_bill trigger needs"):
        read_rule({"name": "n", "when": {"kind": "energy_bill"}, "do": [{"kind": "notify"}]}, home)
    with pytest.raises(RuleFormatError, match=r"when\.above_won: expected a number, got '5만'"):
        read_rule({"name": "n", "when": {"kind": "energy_bill", "above_won": "5만"}, "do": [{"kind": "notify"}]}, home)


async def _say_and_save(running: RunningHome, said: str) -> Rule:
    talk = running.conversation
    asked = await talk.handle(said, session="energy", actor=OWNER)
    assert asked.needs_confirmation, asked.reply
    await talk.handle("응", session="energy", actor=OWNER)
    [rule] = [r for r in engine_of(running).rules.values() if r.name == said]
    return rule


async def _run_heater_until(running: RunningHome, clock: ManualClock, until: float) -> list[EnergyCounted]:
    """The heater on; the clock moved on an hour at a time up to `until`. The counts the bus carried."""
    counted: list[EnergyCounted] = []
    unlisten = running.hub.bus.listen(lambda e: counted.append(e) if isinstance(e, EnergyCounted) else None)
    outcome = await running.hub.execute(Command("turn_on", ("heater",)))
    assert outcome.ok
    assert running.energy is not None
    while clock.now() < until:
        await clock.advance(min(HOUR, until - clock.now()))
        # The recorder's own flush runs beside the clock and writes through the store's thread, which a
        # loaded machine may not finish within a few loop turns: write and count up to now before moving on.
        await running.energy.flush()
    unlisten()
    return counted


async def test_told_before_the_tier_edge_once(running: RunningHome, clock: ManualClock) -> None:
    rule = await _say_and_save(running, "2단계 넘기 전에 알려줘")
    assert rule.when.to_dict() == {"kind": "energy_tier", "tier": 2, "margin_kwh": 10.0}
    assert not rule.once  # every month
    counted = await _run_heater_until(running, clock, clock.now() + 3 * 24 * HOUR)  # 3 kW: 72 kWh a day
    told = [t for t in await notifications(running) if "kWh" in t]
    assert len(told) == 1, told
    # The first count past 190 kWh (200 − 10) is the one told, with its kWh and what is left to 200.
    first = next(c for c in counted if c.kwh > 190)
    assert counted[counted.index(first) - 1].kwh <= 190
    left = 200 - first.kwh
    assert told[0] == (
        f"이번 달 전기 사용량이 {kwh_text(first.kwh)}kWh예요. "
        f"200kWh를 넘으면 누진 2단계가 돼요({kwh_text(left)}kWh 남음)."
    )
    assert first.edges == (200.0, 400.0, 1000.0)  # January: winter, with the super-user edge


async def test_told_when_the_bill_passes_fifty_thousand_won(running: RunningHome, clock: ManualClock) -> None:
    await _say_and_save(running, "전기요금 5만 원 넘으면 알려줘")
    counted = await _run_heater_until(running, clock, clock.now() + 4.5 * 24 * HOUR)
    [told] = [t for t in await notifications(running) if "원" in t]
    first = next(c for c in counted if c.won > 50_000)
    assert told == f"이번 달 전기요금이 {first.won:,}원으로 50,000원을 넘었어요({kwh_text(first.kwh)}kWh)."
    # By the tariff (jibsa energy bill): the count before was at most 50,000 won, this one more.
    before = counted[counted.index(first) - 1]
    assert compute_bill_won(before.kwh) <= 50_000 < compute_bill_won(first.kwh) == first.won
    # By hand (January 2026, 저압, winter tiers 200/400): 272 kWh is base 1,600 + 200×120.0 + 72×214.6
    # = 39,451 + 기후환경 9×272 = 2,448 + 연료비 5×272 = 1,360 → 44,859; VAT 4,486; 기금 2.7 % 1,210 →
    # 50,550 won. Each kWh past 200 adds (214.6 + 9 + 5) × 1.127 ≈ 257.6 won: 50,000 won at about 269.9 kWh,
    # which lies between the count before and the count that tells.
    assert compute_bill_won(272) == 50_550
    assert before.kwh < 269.9 < first.kwh


def compute_bill_won(kwh: float) -> int:
    return compute_bill(load_tariff(), round(kwh, 3), JANUARY).total_won


async def test_told_when_the_air_conditioner_runs_four_hours(running: RunningHome, clock: ManualClock) -> None:
    await _say_and_save(running, "에어컨 4시간 넘게 켜져 있으면 알려줘")
    assert (await running.hub.execute(Command("turn_on", ("living_ac",)))).ok
    await clock.advance(3.9 * HOUR)
    assert await notifications(running) == []
    await clock.advance(0.2 * HOUR)
    assert await notifications(running) == ["거실 에어컨이 4시간 넘게 켜져 있어요."]


async def test_a_new_month_starts_from_zero(home: Home) -> None:
    """Counted on the bus: a rule told in one period is told again in the next, and not after a restart."""
    from jibsa.rules.triggers.energy_bill import KIND

    fired: list[object] = []

    class Site:
        clock = ManualClock(0.0)

        def fire(self, rule: Rule, value: object = None, *, late: bool = False) -> bool:
            fired.append(value)
            return True

    watcher = KIND.watcher(Site())  # type: ignore[arg-type]
    watcher.watch(
        read_rule({"name": "n", "when": {"kind": "energy_bill", "above_won": 50000}, "do": [{"kind": "notify"}]}, home)
    )
    edges = (200.0, 400.0)
    for period, won in (
        ("2026-01-01", 60_000),
        ("2026-01-01", 61_000),
        ("2026-02-01", 10_000),
        ("2026-02-01", 52_000),
        ("2026-02-01", 53_000),
    ):
        watcher.event(EnergyCounted("h", 0.0, period, 1.0, won, 2, edges))
    assert fired == [{"won": 52_000, "kwh": 1.0}]  # the first count (60,000) is only the baseline


async def test_counts_are_told_in_order_when_two_flushes_meet(
    running: RunningHome, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recorder's own flush and another (a test's, a shutdown's) ran side by side: the one that read the
    month's use first could tell it last, so the rules saw the use go down and a mark passed twice."""
    from jibsa.energy import recorder

    quick_count = recorder.count_period
    calls = 0

    async def read_then_dawdle(*args: Any, **kwargs: Any) -> EnergyCounted | None:
        nonlocal calls
        calls += 1
        counted = await quick_count(*args, **kwargs)
        if calls == 1:  # the first flush's count, read before the second flush writes its hour
            await asyncio.sleep(0.3)
        return counted

    monkeypatch.setattr(recorder, "count_period", read_then_dawdle)
    told: list[EnergyCounted] = []
    unlisten = running.hub.bus.listen(lambda e: told.append(e) if isinstance(e, EnergyCounted) else None)
    assert (await running.hub.execute(Command("turn_on", ("heater",)))).ok
    assert running.energy is not None
    await clock.advance(HOUR / 2)
    first = asyncio.create_task(running.energy.flush())
    await asyncio.sleep(0.1)  # the first has read this month's use and holds it
    await clock.advance(HOUR / 2)
    await running.energy.flush()
    await first
    unlisten()
    assert len(told) >= 2
    kwh = [c.kwh for c in told]
    assert kwh == sorted(kwh) and kwh[-1] > kwh[0], kwh
