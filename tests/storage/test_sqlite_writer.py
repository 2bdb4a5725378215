"""SQLite's writes run on one thread, a transaction per call: committed before the call returns, rolled
back whole when the work raises, and finished even when the caller stops waiting."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from jibsa.storage.engine import database_url
from jibsa.storage.sqlite_writer import SqliteWriter


def _rows(path: Path) -> list[tuple[int]]:
    """What another connection (another process, after a crash) reads from the file."""
    with sqlite3.connect(path) as other:
        return other.execute("SELECT n FROM t ORDER BY n").fetchall()


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[SqliteWriter]:
    writer = SqliteWriter(database_url(tmp_path))
    await writer.run(lambda c: c.exec_driver_sql("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    yield writer
    await writer.close()


async def test_a_write_is_committed_when_run_returns(writer: SqliteWriter, tmp_path: Path) -> None:
    inserted = await writer.run(lambda c: c.exec_driver_sql("INSERT INTO t VALUES (1), (2)").rowcount)
    assert inserted == 2
    assert _rows(tmp_path / "jibsa.db") == [(1,), (2,)]


async def test_work_that_raises_leaves_nothing_behind(writer: SqliteWriter, tmp_path: Path) -> None:
    def half_then_fail(connection: Connection) -> None:
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")  # the same key again

    with pytest.raises(sa.exc.IntegrityError):
        await writer.run(half_then_fail)
    assert _rows(tmp_path / "jibsa.db") == []


async def test_every_write_runs_on_the_one_writer_thread(writer: SqliteWriter) -> None:
    threads = await asyncio.gather(*(writer.run(lambda _c: threading.get_ident()) for _ in range(20)))
    assert len(set(threads)) == 1 and threads[0] != threading.get_ident()


async def test_a_caller_that_stops_waiting_does_not_undo_the_write(writer: SqliteWriter, tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(connection: Connection) -> None:
        started.set()
        release.wait(5)
        connection.exec_driver_sql("INSERT INTO t VALUES (7)")

    task = asyncio.create_task(writer.run(slow))
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    release.set()
    await writer.run(lambda c: None)  # the writer's turns are in order: `slow` is done after this
    assert task.cancelled()
    assert _rows(tmp_path / "jibsa.db") == [(7,)]


async def test_close_waits_for_writes_under_way_and_may_be_repeated(tmp_path: Path) -> None:
    writer = SqliteWriter(database_url(tmp_path))
    await writer.run(lambda c: c.exec_driver_sql("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    pending = asyncio.create_task(writer.run(lambda c: c.exec_driver_sql("INSERT INTO t VALUES (3)")))
    await asyncio.sleep(0)
    await writer.close()
    await writer.close()
    await pending
    assert _rows(tmp_path / "jibsa.db") == [(3,)]
