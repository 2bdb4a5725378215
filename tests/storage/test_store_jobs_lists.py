"""Pending jobs and lists, on SQLite and PostgreSQL."""

from __future__ import annotations

from jibsa.hub.store import PendingJob
from jibsa.storage import SqlStore

TIMER = PendingJob("t1", "timer", 100.0, {"intent": "set_timer", "name": "라면"}, name="라면 타이머", created=1.0)
DAILY = PendingJob(
    "s1",
    "command",
    50.0,
    {"intent": "turn_on", "targets": ["boiler"]},
    repeat="weekdays",
    at="06:30",
    name="아침 보일러",
    created=2.0,
    meta={"by": "엄마", "count": 3},
)


async def test_jobs_round_trip_soonest_first(store: SqlStore) -> None:
    await store.save_job("home", TIMER)
    await store.save_job("home", DAILY)
    assert await store.load_jobs("home") == [DAILY, TIMER]


async def test_saving_a_job_again_replaces_it_and_delete_forgets_it(store: SqlStore) -> None:
    await store.save_job("home", DAILY)
    moved = PendingJob(
        DAILY.id, DAILY.kind, 86_450.0, DAILY.command, DAILY.repeat, DAILY.at, DAILY.name, DAILY.created, DAILY.meta
    )
    await store.save_job("home", moved)
    assert await store.load_jobs("home") == [moved]
    await store.delete_job("home", DAILY.id)
    await store.delete_job("home", "never-was")
    assert await store.load_jobs("home") == []


async def test_jobs_of_two_homes_with_the_same_id(store: SqlStore) -> None:
    await store.save_job("a", TIMER)
    await store.save_job("b", TIMER)
    await store.delete_job("a", TIMER.id)
    assert await store.load_jobs("a") == []
    assert await store.load_jobs("b") == [TIMER]


async def test_list_items_in_order_without_duplicates(store: SqlStore) -> None:
    for item in ("우유", "계란", "두부", "우유"):
        await store.add_list_item("home", "장보기", item)
    await store.add_list_item("home", "할 일", "빨래")
    assert await store.list_items("home", "장보기") == ["우유", "계란", "두부"]
    assert await store.remove_list_item("home", "장보기", "계란") is True
    assert await store.remove_list_item("home", "장보기", "계란") is False
    assert await store.list_items("home", "장보기") == ["우유", "두부"]
    assert await store.list_items("home", "할 일") == ["빨래"]
    assert await store.list_items("home", "없는 목록") == []
