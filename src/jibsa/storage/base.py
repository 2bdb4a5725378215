"""What the parts of the store share: the engine, the clock, and the one SQL construct that differs
between SQLite and PostgreSQL (INSERT … ON CONFLICT)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

Clock = Callable[[], float]


class StoreBase:
    """Holds the engine. Every write method runs in one transaction and returns after its COMMIT."""

    def __init__(self, engine: AsyncEngine, clock: Clock = time.time) -> None:
        self._engine = engine
        self._now = clock

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
