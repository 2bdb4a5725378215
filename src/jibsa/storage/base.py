"""What the parts of the store share: the engine, the clock, the one way to write, and the one SQL
construct that differs between SQLite and PostgreSQL (INSERT … ON CONFLICT)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.storage.sqlite_writer import SqliteWriter

Clock = Callable[[], float]
Result = TypeVar("Result")


class StoreBase:
    """Holds the engine. Every write runs in one transaction and returns after its COMMIT; reads go
    through the async engine."""

    def __init__(self, engine: AsyncEngine, clock: Clock = time.time) -> None:
        self._engine = engine
        self._now = clock
        self._sqlite = SqliteWriter(engine.url) if engine.dialect.name == "sqlite" else None

    async def _write(self, work: Callable[[Connection], Result]) -> Result:
        """`work(connection)` in one write transaction, committed before this returns. On SQLite it runs
        on the writer thread (`SqliteWriter`); on PostgreSQL on the async engine, through SQLAlchemy's
        `run_sync`, so that both run the same synchronous statements."""
        if self._sqlite is not None:
            return await self._sqlite.run(work)
        async with self._engine.begin() as connection:
            return await connection.run_sync(work)

    async def _execute(self, statement: sa.Executable, rows: Sequence[dict[str, Any]] | None = None) -> int:
        """One statement (with `rows` as its parameters) in a transaction of its own; the rows it changed."""
        return await self._write(lambda connection: connection.execute(statement, rows).rowcount)

    async def _close_writer(self) -> None:
        if self._sqlite is not None:
            await self._sqlite.close()

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    def _upsert(self, table: sa.Table, keys: Sequence[str]) -> sa.Insert:
        """INSERT that replaces every non-key column of the row with the same `keys`."""
        update = [c.name for c in table.columns if c.name not in keys]
        if self._engine.dialect.name == "postgresql":
            pg = postgresql_insert(table)
            return pg.on_conflict_do_update(index_elements=list(keys), set_={c: pg.excluded[c] for c in update})
        lite = sqlite_insert(table)
        return lite.on_conflict_do_update(index_elements=list(keys), set_={c: lite.excluded[c] for c in update})

    def _insert_new(self, table: sa.Table, keys: Sequence[str]) -> sa.Insert:
        """INSERT that does nothing when a row with the same `keys` exists."""
        if self._engine.dialect.name == "postgresql":
            return postgresql_insert(table).on_conflict_do_nothing(index_elements=list(keys))
        return sqlite_insert(table).on_conflict_do_nothing(index_elements=list(keys))
