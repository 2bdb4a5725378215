"""Every question of issue 23, in Korean and English, asked of a home whose use is written hour by hour
(data/questions.yaml says what was used, the bills worked out by hand, and the replies)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import home_from_mapping
from jibsa.energy.store import HOME, EnergyRow, Grain
from jibsa.hub import ManualClock

DATA: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "data" / "questions.yaml").read_text("utf-8"))
SEOUL = ZoneInfo("Asia/Seoul")
OCT_1 = datetime(2025, 10, 1, tzinfo=SEOUL)
NOW = datetime(2025, 10, 16, 12, tzinfo=SEOUL)
H = 3600.0
HOME_FILE = {
    "id": "flat", "name": "집", "rooms": [{"id": "living", "name": "거실"}],
    "devices": [  # on no adapter: their use is written into the store by the test
        {"id": "ac", "name": "거실 에어컨", "room": "living", "type": "air_conditioner", "vendor": "none"},
        {"id": "fridge", "name": "냉장고", "type": "refrigerator", "vendor": "none"},
        {"id": "washer", "name": "세탁기", "type": "washer", "vendor": "none"},
    ],
    "energy": {"reading_day": 1, "voltage": "low"},
}  # fmt: skip


def hour(day: int, at: int, month: int = 10) -> float:
    return datetime(2025, month, day, at, tzinfo=SEOUL).timestamp()


def written_use() -> list[EnergyRow]:
    rows = []
    for day in range(1, 16):
        daily = {14: 8.0, 15: 16.0}.get(day, 12.0)
        rows += [EnergyRow(HOME, hour(day, h), daily / 24) for h in range(24)]
        rows.append(EnergyRow("ac", hour(day, 14), 3.0, 3 * H))
    rows += [EnergyRow(HOME, hour(16, h), 0.5) for h in range(12)]
    rows += [EnergyRow("ac", hour(16, h), 0.75, H) for h in (10, 11)]
    rows += [EnergyRow("fridge", OCT_1.timestamp() + h * H, 0.05) for h in range(372)]
    rows += [EnergyRow("washer", hour(day, 9), 1.0, 4200.0) for day in (2, 4, 6, 8, 10, 12)]
    september = datetime(2025, 9, 1, tzinfo=SEOUL).timestamp()
    rows += [EnergyRow(HOME, september + h * H, 0.375) for h in range(720)]
    return rows


def days_of(hours: list[EnergyRow]) -> list[EnergyRow]:
    """The hours added up per device and Seoul day, as the recorder keeps them beside the hours."""
    days: dict[tuple[str, float], list[float]] = {}
    for row in hours:
        local = datetime.fromtimestamp(row.start, SEOUL)
        midnight = datetime(local.year, local.month, local.day, tzinfo=SEOUL).timestamp()
        total = days.setdefault((row.device_id, midnight), [0.0, 0.0])
        total[0] += row.kwh
        total[1] += row.on_s
    return [EnergyRow(device_id, start, kwh, on_s) for (device_id, start), (kwh, on_s) in days.items()]


@pytest.fixture
async def asked(tmp_path: Path) -> AsyncIterator[RunningHome]:
    home = home_from_mapping(HOME_FILE).home
    running = await open_home(Settings(data_dir=tmp_path), home=home, clock=ManualClock(NOW.timestamp()))
    hours = written_use()
    await running.store.add_energy(home.id, {Grain.HOUR: hours, Grain.DAY: days_of(hours)})  # type: ignore[attr-defined]
    yield running
    await running.close()


def test_the_written_use_is_the_one_the_data_describes() -> None:
    rows = written_use()
    now = NOW.timestamp()
    assert sum(r.kwh for r in rows if r.device_id == HOME and r.start >= OCT_1.timestamp()) == pytest.approx(186)
    assert sum(r.kwh for r in rows if r.device_id == "fridge" and r.start < now) == pytest.approx(18.6)
    assert (NOW - OCT_1).total_seconds() == 15.5 * 86_400


@pytest.mark.parametrize("case", DATA["questions"], ids=[q["ask"] for q in DATA["questions"]])
async def test_each_question_is_answered_from_the_bill_worked_out_by_hand(
    asked: RunningHome, case: dict[str, str]
) -> None:
    turn = await asked.conversation.handle(case["ask"])
    assert [c.intent for c in turn.commands] == ["get_energy"]
    assert turn.reply == case["reply"]


async def test_with_less_than_a_days_use_the_month_is_not_guessed(tmp_path: Path) -> None:
    home = home_from_mapping(HOME_FILE).home
    running = await open_home(Settings(data_dir=tmp_path), home=home, clock=ManualClock(NOW.timestamp()))
    try:
        this_morning = [EnergyRow(HOME, hour(16, h), 0.5) for h in range(6, 12)]  # measuring began at 06:00
        await running.store.add_energy(home.id, {Grain.HOUR: this_morning})  # type: ignore[attr-defined]
        turn = await running.conversation.handle("이대로면 이번 달 얼마 나와?")
        assert turn.reply == "아직 하루 치 사용량도 모이지 않아서 이번 달 요금을 어림할 수 없어요."
        bill = await running.conversation.handle("이번 달 전기요금 얼마야?")
        assert "3kWh" in bill.reply and "2025년 10월 16일부터 잰 값이라 그 전에 쓴 전기는 빠져 있어요." in bill.reply
    finally:
        await running.close()
