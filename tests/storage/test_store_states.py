"""Device states, their history and homes kept apart, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from tests_storage_support import empty_every_table

from jibsa.storage import SqlStore, open_store

KOREAN = {"power": True, "mode": "제습", "label": "거실 에어컨 😊", "target": 24.5, "fan": ["약", "강"]}


async def test_a_saved_state_comes_back(store: SqlStore) -> None:
    await store.save_state("home", "ac", {}, KOREAN, 10.0)
    assert await store.load_states("home") == {"ac": KOREAN}


async def test_saving_again_replaces_the_state(store: SqlStore) -> None:
    await store.save_state("home", "lamp", {}, {"power": False}, 1.0)
    await store.save_state("home", "lamp", {"power": False}, {"power": True, "brightness": 80}, 2.0)
    await store.save_state("home", "door", {}, {"lock": "locked"}, 3.0)
    assert await store.load_states("home") == {"lamp": {"power": True, "brightness": 80}, "door": {"lock": "locked"}}


async def test_many_changes_in_one_batch_keep_the_last_per_device(store: SqlStore) -> None:
    changes = [
        ("lamp", {}, {"power": True}, 1.0),
        ("lamp", {"power": True}, {"power": False}, 2.0),
        ("fan", {}, {"speed": 2}, 2.5),
    ]
    await store.save_states("home", changes)
    await store.save_states("home", [])
    assert await store.load_states("home") == {"lamp": {"power": False}, "fan": {"speed": 2}}
    assert [(h.device_id, h.at) for h in await store.history("home")] == [("lamp", 1.0), ("lamp", 2.0), ("fan", 2.5)]


async def test_history_is_chronological_and_keeps_old_and_new(store: SqlStore) -> None:
    await store.save_state("home", "ac", {}, {"power": False}, 5.0)
    await store.save_state("home", "ac", {"power": False}, KOREAN, 6.0)
    entries = await store.history("home")
    assert [e.at for e in entries] == [5.0, 6.0]
    assert entries[1].old == {"power": False} and entries[1].new == KOREAN


async def test_history_by_device_since_and_limit(store: SqlStore) -> None:
    for at in range(10):
        await store.save_state("home", "lamp" if at % 2 else "fan", {}, {"n": at}, float(at))
    lamp = await store.history("home", device_id="lamp")
    assert [e.at for e in lamp] == [1.0, 3.0, 5.0, 7.0, 9.0]
    assert [e.at for e in await store.history("home", since=7.0)] == [7.0, 8.0, 9.0]
    assert [e.at for e in await store.history("home", device_id="fan", since=3.0)] == [4.0, 6.0, 8.0]
    assert [e.at for e in await store.history("home", limit=3)] == [7.0, 8.0, 9.0]  # the latest three
    assert await store.history("home", limit=0) == []
    assert await store.history("home", device_id="nothing") == []


async def test_two_homes_are_kept_apart(store: SqlStore) -> None:
    await store.save_state("home-a", "lamp", {}, {"power": True}, 1.0)
    await store.save_state("home-b", "lamp", {}, {"power": False}, 2.0)
    await store.add_list_item("home-a", "장보기", "우유")
    await store.create_user("home-a", "엄마", "owner")
    assert await store.load_states("home-a") == {"lamp": {"power": True}}
    assert await store.load_states("home-b") == {"lamp": {"power": False}}
    assert [e.at for e in await store.history("home-b")] == [2.0]
    assert await store.list_items("home-b", "장보기") == []
    assert await store.get_user("home-b", "엄마") is None
    assert await store.load_states("home-c") == {}


async def test_concurrent_writers_all_land(store: SqlStore) -> None:
    """Writers on several pooled connections at once (SQLite serialises them; busy_timeout waits)."""
    await asyncio.gather(
        *(store.save_state("home", f"dev{i % 5}", {}, {"n": i}, float(i)) for i in range(40)),
        *(store.add_list_item("home", "장보기", f"물건 {i}") for i in range(10)),
        *(store.load_states("home") for _ in range(10)),
    )
    assert len(await store.history("home")) == 40
    assert len(await store.load_states("home")) == 5
    assert len(await store.list_items("home", "장보기")) == 10


DAY = 86_400.0


async def test_history_older_than_the_retention_is_deleted_as_new_changes_come(target: str) -> None:
    store = await open_store(target, history_days=1)
    try:
        await store.save_states("home", [("lamp", {}, {"power": True}, 1000.0)])
        await store.save_states("other", [("lamp", {}, {"power": True}, 1000.0)])
        await store.save_states("home", [("lamp", {"power": True}, {"power": False}, 1000.0 + 0.5 * DAY)])
        assert len(await store.history("home")) == 2  # half a day old: kept
        await store.save_states("home", [("lamp", {"power": False}, {"power": True}, 1000.0 + 1.3 * DAY)])
        kept = await store.history("home")
        assert [e.at for e in kept] == [1000.0 + 0.5 * DAY, 1000.0 + 1.3 * DAY]
        assert len(await store.history("other")) == 1  # another home's history is its own
        assert (await store.load_states("home"))["lamp"] == {"power": True}  # states are never pruned
    finally:
        if store.dialect == "postgresql":
            await empty_every_table(store)
        await store.close()


async def test_history_is_kept_for_ever_when_asked(target: str) -> None:
    store = await open_store(target, history_days=0)
    try:
        await store.save_states("forever", [("lamp", {}, {"power": True}, 1000.0)])
        await store.save_states("forever", [("lamp", {"power": True}, {"power": False}, 1000.0 + 400 * DAY)])
        assert len(await store.history("forever")) == 2
    finally:
        if store.dialect == "postgresql":
            await empty_every_table(store)
        await store.close()
