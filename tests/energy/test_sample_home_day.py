"""The sample home over a simulated day (the clock moved on, not waited for): believable energy per
appliance and for the home, and a question about it answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command
from jibsa.energy.store import HOME
from jibsa.hub import ManualClock

SEOUL = ZoneInfo("Asia/Seoul")
MIDNIGHT = datetime(2026, 1, 20, tzinfo=SEOUL).timestamp()
# (hour of the day, intent, device, params): a family's ordinary day.
DAY = [
    (7.0, "turn_on", "kitchen_light", {}), (7.0, "turn_on", "living_ceiling", {}),
    (8.0, "turn_off", "kitchen_light", {}), (8.0, "turn_off", "living_ceiling", {}),
    (9.0, "start", "washer", {}), (10.5, "start", "dryer", {}),
    (13.0, "turn_on", "living_ac", {}), (16.0, "turn_off", "living_ac", {}),
    (19.0, "turn_on", "living_tv", {}), (19.0, "turn_on", "living_ceiling", {}),
    (19.5, "start", "dishwasher", {}),
    (23.0, "turn_off", "living_tv", {}), (23.0, "turn_off", "living_ceiling", {}),
]  # fmt: skip


@pytest.fixture
async def lived_in(tmp_path: Path) -> AsyncIterator[RunningHome]:
    clock = ManualClock(MIDNIGHT)
    running = await open_home(Settings(data_dir=tmp_path, adapter_settings={"sim": {"tick_s": 10}}), clock=clock)
    for at, intent, device, params in DAY:
        await clock.advance(MIDNIGHT + at * 3600 - clock.now())
        outcome = await running.hub.execute(Command(intent, (device,), params))
        assert outcome.ok, (intent, device, outcome)
    await clock.advance(MIDNIGHT + 86_400 - 1 - clock.now())
    yield running
    await running.close()


async def test_a_day_of_the_sample_home_uses_believable_energy(lived_in: RunningHome) -> None:
    assert lived_in.energy is not None
    await lived_in.energy.flush()
    totals = await lived_in.store.energy_totals(lived_in.home.id, MIDNIGHT, MIDNIGHT + 86_400)  # type: ignore[attr-defined]
    kwh = {device: use for device, (use, _on) in totals.items()}
    # What such appliances use (power.yaml says why): an 800 L fridge about 1.2 kWh a day, a 표준 wash
    # about 0.5 kWh, a heat-pump dryer about 1 kWh, three hours of a stand air conditioner 0.5–5 kWh.
    assert 0.9 <= kwh["refrigerator"] <= 1.7
    assert 0.4 <= kwh["washer"] <= 0.8 and 0.7 <= kwh["dryer"] <= 1.3 and 0.5 <= kwh["dishwasher"] <= 1.2
    assert 0.5 <= kwh["living_ac"] <= 5.0
    assert totals["living_ac"][1] == pytest.approx(3 * 3600, abs=30)  # running three hours
    assert 0.1 <= kwh["living_tv"] <= 0.6 and kwh["living_ceiling"] < 0.4  # four hours of TV; a lamp at 40 W
    assert all(use >= 0 for use in kwh.values())
    assert kwh[HOME] == pytest.approx(sum(use for device, use in kwh.items() if device != HOME))
    assert 4.0 <= kwh[HOME] <= 15.0  # a Korean household: about 10 kWh on an ordinary day


async def test_the_day_is_in_this_months_bill(lived_in: RunningHome) -> None:
    turn = await lived_in.conversation.handle("전기 제일 많이 먹는 게 뭐야?")
    assert turn.reply.startswith("이번 달에는 ") and "kWh로 전체의" in turn.reply
    turn = await lived_in.conversation.handle("에어컨 오늘 몇 시간 틀었어?")
    assert "거실 에어컨은 3시간" in turn.reply and "안방 에어컨" not in turn.reply
