"""The provider's PostgreSQL: big tables hash-partitioned by home, history by time with retention per
home, and the hub's own store working on it unchanged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain.said import Said
from jibsa.energy.store import EnergyRow, Grain
from jibsa.hub.store import PendingJob
from jibsa.provider.database import (
    HASH_PARTITIONED,
    HASH_PARTITIONS,
    UNPARTITIONED,
    maintain_history,
    metadata,
    prepare_database,
)
from jibsa.provider.tenancy import HomeDirectory
from jibsa.storage import open_store
from jibsa.storage import schema as home_schema
from jibsa.storage.engine import database_url
from jibsa.storage.records import AuditEntry

pytestmark = pytest.mark.postgres

_DAY = 86_400.0
T0 = 1_765_000_000.0  # 2025-12-06


async def _strategies(engine: AsyncEngine) -> dict[str, tuple[str, int]]:
    """Each partitioned table: its strategy ('h' hash, 'r' range) and how many partitions it has."""
    query = sa.text(
        "SELECT c.relname, p.partstrat::text, (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid) "
        "FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
    )
    async with engine.connect() as connection:
        return {name: (strategy, count) for name, strategy, count in (await connection.execute(query)).all()}


async def test_big_tables_are_hash_partitioned_by_home_and_history_by_time(provider_db: AsyncEngine) -> None:
    strategies = await _strategies(provider_db)
    assert set(HASH_PARTITIONED) >= {"device_states", "audit_log", "notifications", "energy_hourly", "rules"}
    for name in HASH_PARTITIONED:
        assert strategies[name] == ("h", HASH_PARTITIONS), name
    strategy, count = strategies["state_history"]
    assert strategy == "r" and count >= 5  # yesterday, today, three days ahead, and the default partition
    assert not UNPARTITIONED & set(strategies)


async def test_every_table_of_a_home_has_the_same_columns_as_in_jibsa_serve(provider_db: AsyncEngine) -> None:
    async with provider_db.connect() as connection:
        found = await connection.run_sync(
            lambda sync: {t: {c["name"] for c in sa.inspect(sync).get_columns(t)} for t in home_schema.metadata.tables}
        )
    for name, table in home_schema.metadata.tables.items():
        assert found[name] == set(table.columns.keys()), name
        assert metadata.tables[name].c.keys() == table.c.keys()


async def test_preparing_twice_changes_nothing_and_the_store_opens_it_without_migrating(
    empty_database_url: str,
) -> None:
    url = database_url(empty_database_url)
    await prepare_database(url)
    await prepare_database(url)
    store = await open_store(empty_database_url)  # stamped at the head revision: Alembic has nothing to do
    try:
        await store.save_state("h-a", "lamp", {"power": "off"}, {"power": "on"}, T0)
        await store.save_state("h-b", "lamp", {"power": "on"}, {"power": "off"}, T0)
        assert await store.load_states("h-a") == {"lamp": {"power": "on"}}
        assert await store.load_states("h-b") == {"lamp": {"power": "off"}}
        query = sa.text("SELECT home_id, tableoid::regclass::text FROM device_states ORDER BY home_id")
        async with store.engine.connect() as connection:
            partitions = dict((await connection.execute(query)).all())
        assert all(p.startswith("device_states_p") for p in partitions.values())
    finally:
        await store.close()


async def test_the_hub_store_writes_every_kind_of_row_into_the_partitions(provider_url: str) -> None:
    url = database_url(provider_url)
    await prepare_database(url)
    store = await open_store(provider_url, history_days=None)
    try:
        await store.save_job("h-a", PendingJob("j1", "timer", T0 + 60, {"intent": "set_timer"}, name="라면"))
        await store.add_list_item("h-a", "장보기", "우유")
        await store.save_rule("h-a", "r1", {"when": "x"})
        note = await store.add_notification("h-a", "", Said("rule.fired", {}), at=T0, rule_id="r1")
        await store.mark_read("h-a", "엄마", [note.id])
        await store.add_energy("h-a", {Grain.HOUR: [EnergyRow("lamp", T0 - T0 % 3600, 0.5, 60)]})
        await store.append_audit(AuditEntry(T0, "h-a", "엄마", "owner", "test", "command"))
        assert [j.id for j in await store.load_jobs("h-a")] == ["j1"]
        assert await store.list_items("h-a", "장보기") == ["우유"]
        assert [n.id for n in await store.notifications("h-a", "엄마")] == [note.id]
        assert await store.load_jobs("h-b") == [] and await store.notifications("h-b", "엄마") == []
    finally:
        await store.close()


async def _history(engine: AsyncEngine, home_id: str) -> list[float]:
    history = metadata.tables["state_history"]
    async with engine.connect() as connection:
        rows = await connection.execute(sa.select(history.c.at).where(history.c.home_id == home_id))
        return sorted(row.at for row in rows)


async def _add_history(engine: AsyncEngine, at: float, *home_ids: str) -> None:
    history = metadata.tables["state_history"]
    rows = [{"home_id": h, "device_id": "lamp", "at": at, "old": {}, "new": {"power": "on"}} for h in home_ids]
    async with engine.begin() as connection:
        await connection.execute(sa.insert(history), rows)


async def test_history_is_kept_as_long_as_each_home_wants_and_old_partitions_are_dropped(
    empty_database_url: str,
) -> None:
    url = database_url(empty_database_url)
    await prepare_database(url, now=T0)
    from jibsa.storage.engine import create_engine

    engine = create_engine(url)
    try:
        directory = HomeDirectory(engine)
        await directory.add_home("h-default", "기본", "")
        await directory.add_home("h-short", "짧게", "", history_days=2)
        await directory.add_home("h-long", "길게", "", history_days=90)
        await _add_history(engine, T0, "h-default", "h-short", "h-long")

        kept = await maintain_history(engine, T0 + 40 * _DAY, default_days=30)
        assert kept.dropped_partitions == ()  # h-long still keeps 90 days
        assert kept.deleted_rows == 2
        assert await _history(engine, "h-default") == [] and await _history(engine, "h-short") == []
        assert await _history(engine, "h-long") == [T0]

        later = T0 + 39 * _DAY
        await _add_history(engine, later, "h-default", "h-short", "h-long")
        assert await _history(engine, "h-short") == [later]
        await directory.set_history_days("h-short", None)  # back to the default
        dropped = await maintain_history(engine, T0 + 100 * _DAY, default_days=30)
        assert any(name.endswith(_ymd(T0)) for name in dropped.dropped_partitions)
        assert await _history(engine, "h-long") == [later]  # 61 days old: within its 90
        assert await _history(engine, "h-default") == [] and await _history(engine, "h-short") == []
    finally:
        await engine.dispose()


def _ymd(at: float) -> str:
    import time

    return time.strftime("%Y%m%d", time.gmtime(at))
