"""GET /api/energy: the sample home after a simulated day (the clock moved on), through HTTP with a
token: this period's kWh against the tier edges, the bill, the days, the top devices, each device's
draw now and use today; no login, odd queries and unknown devices answered plainly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Role
from jibsa.energy import compute_bill, cycle_starting, load_tariff
from jibsa.hub import ManualClock

SEOUL = ZoneInfo("Asia/Seoul")
MIDNIGHT = datetime(2026, 1, 20, tzinfo=SEOUL).timestamp()
DAY = [(7.0, "turn_on", "kitchen_light"), (8.0, "turn_off", "kitchen_light"), (9.0, "start", "washer"),
       (13.0, "turn_on", "living_ac"), (16.0, "turn_off", "living_ac"), (19.0, "turn_on", "living_tv"),
       (23.0, "turn_off", "living_tv")]  # fmt: skip


@pytest.fixture
async def lived_in(tmp_path: Path) -> AsyncIterator[tuple[RunningHome, ManualClock]]:
    clock = ManualClock(MIDNIGHT)
    async with await open_home(
        Settings(data_dir=tmp_path, adapter_settings={"sim": {"tick_s": 30}}), clock=clock
    ) as running:
        for at, intent, device in DAY:
            await clock.advance(MIDNIGHT + at * 3600 - clock.now())
            assert (await running.hub.execute(Command(intent, (device,)))).ok
        await clock.advance(MIDNIGHT + 86_400 + 1800 - clock.now())  # half past midnight the next day
        yield running, clock


@pytest.fixture
async def client(lived_in: tuple[RunningHome, ManualClock]) -> AsyncIterator[httpx.AsyncClient]:
    running, _ = lived_in
    _, token = await add_user_with_token(running.store, running.hub.home.id, "손님", Role.GUEST)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=create_app(running, AuthSettings()), client=("192.0.2.10", 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://jibsa.test", headers={"Authorization": f"Bearer {token}"}
    ) as made:
        yield made


async def test_the_period_so_far_with_tiers_bill_days_and_devices(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/energy")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    # The sample home is read on the 15th: the period is 15 January to 14 February, billed as winter.
    assert body["period"] == {"start": "2026-01-15", "end": "2026-02-14", "days": 31}
    assert body["edges"] == [200.0, 400.0, 1000.0] and body["measured"] and not body["metered"]
    assert [d["date"] for d in body["days"]] == [f"2026-01-{n}" for n in range(15, 22)]
    day = body["days"][5]["kwh"]
    assert 3.0 <= day <= 15.0 and all(d["kwh"] == 0 for d in body["days"][:5])
    assert body["kwh"] == pytest.approx(sum(d["kwh"] for d in body["days"]), abs=0.01)
    # The bill of that kWh by the tariff, and by hand: tier 1, base 910 won + (120.0 + 기후환경 9 + 연료비 5)
    # won a kWh, then VAT 10 % and the fund 2.7 % (each cut to the won or 10 won: within 20 won).
    period = cycle_starting(2026, 1, 15)
    assert body["won"] == compute_bill(load_tariff(), round(body["kwh"], 3), period).total_won
    assert body["tier"] == 1 and abs(body["won"] - (910 + 134 * body["kwh"]) * 1.127) <= 20
    projection = body["projection"]
    assert projection["projected"] and projection["confidence"] == "low"  # fewer than three whole days
    assert projection["low_won"] <= projection["won"] <= projection["high_won"]
    top = body["top"]
    assert [t["kwh"] for t in top] == sorted((t["kwh"] for t in top), reverse=True)
    assert {"id", "name", "kwh", "share"} <= set(top[0]) and top[0]["name"]
    devices = {d["id"]: d for d in body["devices"]}
    # Today began half an hour ago, with it off: its standby, 1.5 W.
    assert devices["living_ac"]["power_w"] == pytest.approx(1.5)
    assert devices["living_ac"]["today_kwh"] == pytest.approx(1.5 * 0.5 / 1000, abs=0.0001)


async def test_one_device_now_and_today(client: httpx.AsyncClient, lived_in: tuple[RunningHome, ManualClock]) -> None:
    running, clock = lived_in
    assert (await running.hub.execute(Command("turn_on", ("living_tv",)))).ok
    await clock.advance(3600)
    body = (await client.get("/api/energy", params={"device": "living_tv"})).json()
    [tv] = body["devices"]
    assert set(body) == {"devices"} and tv["id"] == "living_tv"
    assert tv["power_w"] > 50 and 0.05 <= tv["today_kwh"] <= 0.2 and tv["today_on_s"] == pytest.approx(3600, abs=20)


async def test_odd_queries_and_no_login_are_answered_plainly(client: httpx.AsyncClient) -> None:
    for odd in ("", "<script>", "x" * 101):
        response = await client.get("/api/energy", params={"device": odd})
        assert response.status_code == 422 and response.json()["code"] == "invalid_request", odd
    unknown = await client.get("/api/energy", params={"device": "garage_heater"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_device"
    anonymous = await client.get("/api/energy", headers={"Authorization": ""})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
