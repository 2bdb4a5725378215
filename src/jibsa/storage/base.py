"""What the parts of the store share: the engine, the clock, and the one SQL construct that differs
between SQLite and PostgreSQL (INSERT … ON CONFLICT)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

Clock = Callable[[], float]


class StoreBase:
    """Holds the engine. Every write method runs in one transaction and returns after its COMMIT."""

    def __init__(self, engine: AsyncEngine, clock: Clock = time.time) -> None:
        self._engine = engine
        self._now = clock
        self._one_writer = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction, committed when the block ends. On SQLite the process's writers take turns
        here: SQLite lets one write at a time, and a writer refused the lock waits in its busy handler,
        which sleeps in steps of up to 100 ms — under load that was most of the slowest requests' time.
        Waiting here wakes the next writer as soon as the last one commits."""
        if self._engine.dialect.name != "sqlite":
            async with self._engine.begin() as connection:
                yield connection
            return
        async with self._one_writer, self._engine.begin() as connection:
            yield connection

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
