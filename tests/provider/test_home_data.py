"""Homes in and out: import from home files, export every row of a home, delete every row of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import HomeFileError, Role
from jibsa.domain.said import Said
from jibsa.energy.store import EnergyRow, Grain, MeterCursor
from jibsa.home_file import sample_home_text
from jibsa.hub.notification_store import PushSubscription
from jibsa.hub.store import PendingJob
from jibsa.provider.database import metadata, provider_audit
from jibsa.provider.home_data import (
    HIDDEN,
    delete_home,
    export_home,
    generated_homes,
    home_from_file,
    import_homes,
)
from jibsa.provider.shards import BadHomeId
from jibsa.provider.tenancy import HomeDirectory
from jibsa.storage import SqlStore
from jibsa.storage.records import AuditEntry

pytestmark = pytest.mark.postgres
T0 = 1_765_000_000.0


async def _fill(engine: AsyncEngine, home_id: str) -> None:
    """A row of the home in every table, written by the same code `jibsa serve` uses."""
    store = SqlStore(engine, history_days=None)
    await store.save_state(home_id, "lamp", {"power": "off"}, {"power": "on"}, T0)
    await store.save_job(home_id, PendingJob("j1", "timer", T0 + 60, {"intent": "set_timer"}, name="라면"))
    await store.add_list_item(home_id, "장보기", "우유")
    await store.save_rule(home_id, "r1", {"when": "x"})
    note = await store.add_notification(home_id, "", Said("rule.fired", {}), at=T0, rule_id="r1")
    await store.mark_read(home_id, "엄마", [note.id])
    await store.save_push_subscription(home_id, PushSubscription("https://push.example/" + home_id, "엄마", "k", "a"))
    await store.add_energy(home_id, {g: [EnergyRow("lamp", T0 - T0 % 3600, 0.5, 60)] for g in Grain})
    await store.save_meter_cursors(home_id, [MeterCursor("lamp", 12.5, T0)])
    await store.append_audit(AuditEntry(T0, home_id, "엄마", "owner", "test", "command"))
    owner = await store.create_user(home_id, "엄마", Role.OWNER.value, "argon-hash")
    await store.add_token(owner.id, f"token-hash-{home_id}")
    await store.create_session(f"session-hash-{home_id}", owner.id, T0 + 3600, "csrf")
    await HomeDirectory(engine).invite(owner, Role.MEMBER)


async def _rows_of(engine: AsyncEngine, home_id: str) -> dict[str, int]:
    counts = {}
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table is provider_audit:
                continue
            column = table.c.get("home_id", table.c.get("id") if table.name == "homes" else None)
            if column is None:  # tokens and sessions: through their user
                users = metadata.tables["users"]
                where = table.c.user_id.in_(sa.select(users.c.id).where(users.c.home_id == home_id))
            else:
                where = column == home_id
            counts[table.name] = await connection.scalar(sa.select(sa.func.count()).select_from(table).where(where))
    return counts


async def test_export_shows_every_row_and_delete_leaves_none(provider_db: AsyncEngine) -> None:
    await import_homes(provider_db, [home_from_file(sample_home_text(), "a.yaml", "h_a"),
                                     home_from_file(sample_home_text(), "b.yaml", "h_b")])  # fmt: skip
    await _fill(provider_db, "h_a")
    await _fill(provider_db, "h_b")
    before = await _rows_of(provider_db, "h_a")
    assert all(before.values()), before  # the home has rows in every table

    exported = await export_home(provider_db, "h_a", actor="test")
    assert {name: len(rows) for name, rows in exported.items()} == before
    assert exported["users"][0]["password_hash"] == HIDDEN
    assert exported["access_tokens"][0]["token_hash"] == HIDDEN
    assert "h_b" not in repr(exported)

    deleted = await delete_home(provider_db, "h_a", actor="test")
    assert deleted == before
    assert set((await _rows_of(provider_db, "h_a")).values()) == {0}
    assert await _rows_of(provider_db, "h_b") == before  # the other home is untouched
    async with provider_db.connect() as connection:
        audited = (await connection.execute(
            sa.select(provider_audit.c.action, provider_audit.c.detail).where(provider_audit.c.home_id == "h_a")
        )).all()  # fmt: skip
    assert [a for a, _ in audited] == ["home_import", "home_export", "home_delete"]
    assert audited[-1][1] == {"rows": before}
    with pytest.raises(KeyError):
        await export_home(provider_db, "h_a")


async def test_generated_homes_get_their_own_ids_and_owners(provider_db: AsyncEngine) -> None:
    template = home_from_file(sample_home_text(), "sample.yaml")
    imported = await import_homes(provider_db, generated_homes(template, 2500, "g_"), owner="주인")
    assert imported.homes == 2500 and len(imported.tokens) == 2500
    home = await HomeDirectory(provider_db).get_home("g_02499")
    assert home is not None
    assert home_from_file(home.home_file, "stored").id == "g_02499"


def test_a_broken_home_file_or_an_id_that_names_no_home_is_refused() -> None:
    with pytest.raises(HomeFileError) as broken:
        home_from_file("id: x\nname: [", "bad.yaml")
    assert "bad.yaml" in str(broken.value)
    with pytest.raises(BadHomeId):
        home_from_file(sample_home_text(), "a.yaml", "h_a.*")
