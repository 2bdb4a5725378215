"""Opening a store: where it lives, migrations (idempotent, concurrent, matching the schema), SQLite settings."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from tests_storage_support import Postgres, empty_every_table, store_target

from jibsa.storage import SqlStore, StorageConfigError, StorageUnavailable, open_store
from jibsa.storage.engine import database_url
from jibsa.storage.migrate import current_revision, head_revision
from jibsa.storage.schema import metadata

OPEN_AND_SAY_OK = (
    "import asyncio, sys; from jibsa.storage import open_store\n"
    "async def main():\n    store = await open_store(sys.argv[1]); await store.close(); print('ok')\n"
    "asyncio.run(main())"
)


async def test_opening_twice_migrates_once_and_keeps_data(target: str) -> None:
    first = await open_store(target)
    await first.save_state("home", "lamp", {}, {"power": True}, 1.0)
    await first.close()
    assert await current_revision(database_url(target)) == head_revision()
    async with await open_store(target) as second:
        assert await second.load_states("home") == {"lamp": {"power": True}}
        await empty_every_table(second)  # this test opens its own stores, so it cleans up itself


async def test_the_migrations_create_exactly_the_declared_schema(store: SqlStore) -> None:
    def differences(connection: sa.Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata))

    async with store.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def _fresh_postgres_database(postgres: Postgres) -> str:
    name = f"jibsa_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres.admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return name


async def _drop_postgres_database(postgres: Postgres, name: str) -> None:
    admin = await asyncpg.connect(postgres.admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def test_processes_opening_a_new_database_at_once_take_turns(
    backend: str, postgres: Postgres, tmp_path: Path
) -> None:
    target = store_target(backend, postgres, tmp_path)
    fresh = None
    if backend == "postgresql":
        fresh = await _fresh_postgres_database(postgres)
        target = target.rsplit("/", 1)[0] + f"/{fresh}"
    try:
        children = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-c", OPEN_AND_SAY_OK, target, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(4)
        ]
        results = [await child.communicate() for child in children]
        failed = [
            (child.returncode, out, err)
            for child, (out, err) in zip(children, results, strict=True)
            if child.returncode != 0 or out.strip() != b"ok"
        ]
        assert not failed, _what_happened(target, failed)
        assert await current_revision(database_url(target)) == head_revision()
    finally:
        if fresh is not None:
            await _drop_postgres_database(postgres, fresh)


def _what_happened(target: str, failed: list[tuple[int | None, bytes, bytes]]) -> str:
    """Enough to find the cause of a failure seen once (issue 10, item 6): each failed child's exit
    status, output and whole traceback (the driver's error is its cause), and the files of the data
    directory as they are now (a -wal file says whether WAL mode was reached)."""
    lines = [f"{len(failed)} of 4 processes failed to open {target}:"]
    for status, out, err in failed:
        lines += [f"--- exit status {status}, stdout {out.decode(errors='replace')!r}", err.decode(errors="replace")]
    if "://" not in target:
        files = sorted(Path(target).glob("jibsa.db*"))
        lines.append("files: " + ", ".join(f"{f.name} ({f.stat().st_size} bytes)" for f in files))
    return "\n".join(lines)


def test_a_directory_holds_jibsa_db(tmp_path: Path) -> None:
    assert database_url(tmp_path / "new" / "dir").database == str(tmp_path / "new" / "dir" / "jibsa.db")
    assert (tmp_path / "new" / "dir").is_dir()
    assert database_url(tmp_path).database == str(tmp_path / "jibsa.db")
    assert database_url(tmp_path / "home.sqlite3").database == str(tmp_path / "home.sqlite3")
    assert database_url(f"sqlite:///{tmp_path}/x.db").database == str(tmp_path / "x.db")
    assert database_url(f"sqlite:///{tmp_path}").database == str(tmp_path / "jibsa.db")


def test_a_data_directory_another_process_creates_meanwhile_still_holds_jibsa_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four processes opening a new data directory at once: one looked before another created the
    directory, and looked again after; it took the directory itself for the database file (CI, issue 10)."""
    data = tmp_path / "data"
    real_stat = Path.stat

    def stat_while_another_process_creates_it(self: Path, **kwargs: bool) -> os.stat_result:
        if self == data and not os.path.exists(data):
            data.mkdir()  # the other process, just after this look
            raise FileNotFoundError(2, "No such file or directory", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat_while_another_process_creates_it)
    assert database_url(data).database == str(data / "jibsa.db")


def test_postgres_urls_use_asyncpg() -> None:
    url = database_url("postgresql://jibsa:secret@db.local:5433/homes")
    assert url.drivername == "postgresql+asyncpg" and url.port == 5433 and url.database == "homes"
    assert database_url("postgres://db.local/homes").drivername == "postgresql+asyncpg"
    assert database_url("postgresql://db.local/homes?sslmode=require").query == {"ssl": "require"}


@pytest.mark.parametrize("target", ["sqlite://", "sqlite:///:memory:", "mysql://db/homes", "postgresql://:bad"])
def test_unusable_targets_are_refused_with_a_reason(target: str) -> None:
    with pytest.raises(StorageConfigError):
        database_url(target)


async def test_an_unreachable_server_says_so() -> None:
    with pytest.raises(StorageUnavailable, match=r"127\.0\.0\.1:1/homes: cannot open the database"):
        await open_store("postgresql://jibsa:secret@127.0.0.1:1/homes")


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    async with await open_store(tmp_path) as store, store.engine.connect() as connection:
        pragmas = {
            name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 10_000, "foreign_keys": 1}
    assert (tmp_path / "jibsa.db").is_file()


async def test_the_data_directory_and_database_are_private_and_old_modes_are_fixed(tmp_path: Path) -> None:
    """Issue 20, item 11: the database holds password hashes and what people said."""
    data = tmp_path / "data"
    async with await open_store(data) as store:
        await store.add_list_item("home", "list", "item")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for file in data.glob("jibsa.db*"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    data.chmod(0o755)  # as an older jibsa left them
    for file in data.glob("jibsa.db*"):
        file.chmod(0o644)
    async with await open_store(data) as store:
        assert await store.list_items("home", "list") == ["item"]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert {stat.S_IMODE(f.stat().st_mode) for f in data.glob("jibsa.db*")} == {0o600}
