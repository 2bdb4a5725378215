"""The worker's journal on a real, partitioned provider database: rows added before `durable()` are
committed when it returns (seen from another connection), a device changed twice keeps its last state and
both history rows, a row the database refuses costs only itself, and a claimed request is answered from
the reply the journal kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.journal import Journal, JournalStore, _Batch
from jibsa.provider.replies import Replies, claims_pool, libpq_url
from jibsa.provider.wire import Reply
from jibsa.storage.records import AuditEntry

pytestmark = pytest.mark.postgres
T0 = 1_765_000_000.0


@pytest.fixture
async def journal(provider_db: AsyncEngine) -> AsyncIterator[Journal]:
    await Replies(provider_db).create_table()
    running = Journal(libpq_url(provider_db.url), linger_s=0.05)
    await running.start()
    yield running
    await running.stop()


async def _rows(engine: AsyncEngine, query: str) -> list[tuple[object, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(sa.text(query))).all()]


async def test_rows_are_committed_when_durable_returns(provider_db: AsyncEngine, journal: Journal) -> None:
    store = JournalStore(provider_db, journal)
    await store.save_states("h-a", [("lamp", {"power": False}, {"power": True}, T0)])
    await store.save_states("h-a", [("lamp", {"power": True}, {"power": True, "brightness": 40}, T0 + 1)])
    await store.save_states("h-b", [("lamp", {}, {"power": False}, T0)], {"lamp": {"by": "민지", "via": "http"}})
    await store.append_audit(AuditEntry(T0, "h-a", "민지", "owner", "http", "command", {"request": "r1"}, True, {}))
    journal.reply("h-a", "r1", T0, Reply(True, {"ok": True}).to_bytes().decode())
    await journal.durable()
    states = await _rows(provider_db, "SELECT home_id, state->>'brightness' FROM device_states ORDER BY home_id")
    assert states == [("h-a", "40"), ("h-b", None)]
    history = await _rows(provider_db, "SELECT home_id, new->>'power', cause->>'by' FROM state_history ORDER BY at, id")
    assert sorted(history, key=str) == sorted([("h-a", "true", None), ("h-a", "true", None), ("h-b", "false", "민지")])
    assert await _rows(provider_db, "SELECT user_name, detail->>'request' FROM audit_log") == [("민지", "r1")]
    replies = await _rows(provider_db, "SELECT request_id, reply->>'ok' FROM provider_replies")
    assert replies == [("r1", "true")]
    assert journal.stats.batches >= 1 and journal.stats.rows >= 7 and journal.stats.retries == 0


async def test_a_row_the_database_refuses_costs_only_itself(provider_db: AsyncEngine, journal: Journal) -> None:
    too_long = "x" * 300  # device ids are at most 64 characters
    journal.states("h-a", [("lamp", {}, {"power": True}, T0), (too_long, {}, {"power": True}, T0)], None)
    journal.reply("h-a", "r2", T0, '{"ok": true}')
    await journal.durable()
    assert await _rows(provider_db, "SELECT device_id FROM device_states") == [("lamp",)]
    assert await _rows(provider_db, "SELECT request_id FROM provider_replies") == [("r2",)]
    assert journal.stats.dropped == 2  # its state and its history row


async def test_a_claimed_request_is_answered_from_the_journals_reply(
    provider_db: AsyncEngine, journal: Journal
) -> None:
    replies = Replies(provider_db)
    pool: asyncpg.Pool = await claims_pool(provider_db.url)
    try:
        assert await replies.claim(pool, "h-a", "r3") is None  # new: carry it out
        again = await replies.claim(pool, "h-a", "r3")
        assert again is not None and again.reply is None  # claimed, not answered (yet, or ever)
        journal.reply("h-a", "r3", T0, Reply(True, {"said": "했어요"}).to_bytes().decode())
        await journal.durable()
        answered = await replies.claim(pool, "h-a", "r3")
        assert answered is not None and answered.reply == Reply(True, {"said": "했어요"})
        assert await replies.claim(pool, "h-b", "r3") is None  # the same id in another home is another request
    finally:
        await pool.close()


async def test_a_batch_upserts_its_rows_in_key_order_so_batches_side_by_side_never_deadlock() -> None:
    """Up to three batches are written at once. Were each to upsert the device states (and replies) they share
    in the order they came, two could each hold a row the other waits for: PostgreSQL's deadlock, seen at
    2,000 events/s. In key order, whoever locks first the first row they share goes first."""
    batch = _Batch(asyncio.get_running_loop().create_future())
    for home, device in [("h_b", "lamp"), ("h_a", "tv"), ("h_a", "boiler"), ("h_b", "fan")]:
        batch.states[(home, device)] = (home, device, "{}", T0)
        batch.replies[(home, device)] = (home, device, T0, "{}")
    tables = batch.tables()
    expected = [("h_a", "boiler"), ("h_a", "tv"), ("h_b", "fan"), ("h_b", "lamp")]
    assert [row[:2] for row in tables["states"]] == expected
    assert [row[:2] for row in tables["replies"]] == expected


async def test_a_batch_whose_connection_is_killed_while_it_writes_is_written_again_once(
    provider_db: AsyncEngine, journal: Journal
) -> None:
    """The journal's connection killed (pg_terminate_backend) while its batch waits on a row another
    transaction holds: the batch is written again on a new connection, each row once, nothing dropped, and
    `durable()` returns only then."""
    journal.states("h-a", [("lamp", {}, {"power": True}, T0)], None)
    await journal.durable()
    admin = await asyncpg.connect(libpq_url(provider_db.url))
    try:
        holder = admin.transaction()
        await holder.start()
        await admin.execute("SELECT 1 FROM device_states WHERE home_id = 'h-a' AND device_id = 'lamp' FOR UPDATE")
        journal.states("h-a", [("lamp", {"power": True}, {"power": False}, T0 + 1)], None)
        journal.reply("h-a", "r9", T0, '{"ok": true}')
        durable = asyncio.ensure_future(journal.durable())
        waiting = None
        for _ in range(200):  # a generous bound: the batch reaches the row lock
            waiting = await admin.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if waiting is not None:
                break
            await asyncio.sleep(0.05)
        assert waiting is not None
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", waiting)
        await asyncio.sleep(0.3)
        assert not durable.done()  # written again: waits on the row as before
        await holder.rollback()
        await asyncio.wait_for(durable, 30)
    finally:
        await admin.close()
    history = await _rows(provider_db, "SELECT new->>'power' FROM state_history WHERE home_id = 'h-a' ORDER BY at")
    assert history == [("true",), ("false",)]
    assert await _rows(provider_db, "SELECT state->>'power' FROM device_states") == [("false",)]
    assert await _rows(provider_db, "SELECT request_id FROM provider_replies") == [("r9",)]
    assert journal.stats.dropped == 0 and journal.stats.retries >= 1
