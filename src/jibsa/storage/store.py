"""`SqlStore`: the hub's store and the server's accounts on SQLite or PostgreSQL, and `open_store`."""

from __future__ import annotations

import os
import time
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.energy.store import EnergyStore
from jibsa.hub.store import HubStore
from jibsa.rules.store import RuleStore
from jibsa.storage.accounts import DEFAULT_AUDIT_DAYS, AccountRecords
from jibsa.storage.base import Clock
from jibsa.storage.energy import EnergyRecords
from jibsa.storage.engine import create_engine, database_url
from jibsa.storage.errors import StorageUnavailable
from jibsa.storage.home_state import DEFAULT_HISTORY_DAYS, HomeStateRecords
from jibsa.storage.migrate import upgrade_to_head
from jibsa.storage.rules import RuleRecords


class SqlStore(HomeStateRecords, AccountRecords, RuleRecords, EnergyRecords):
    """Durable state of many homes (implements `jibsa.hub.HubStore` and the API's account store).

    Each write runs in one transaction and returns after COMMIT, so an acknowledged change survives
    the process being killed. Open it with `open_store`; close it with `close()` or `async with`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock = time.time,
        *,
        history_days: float | None = DEFAULT_HISTORY_DAYS,
        audit_days: float | None = DEFAULT_AUDIT_DAYS,
    ) -> None:
        super().__init__(engine, clock, history_days=history_days, audit_days=audit_days)

    @property
    def dialect(self) -> str:
        """The database in use: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    async def close(self) -> None:
        """Close every connection, once the writes under way are committed. Idempotent."""
        await self._close_writer()
        await self._engine.dispose()

    async def __aenter__(self) -> SqlStore:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()


if TYPE_CHECKING:

    def _is_a_hub_store(store: SqlStore) -> HubStore:
        return store  # mypy checks SqlStore against the hub's protocol here

    def _is_a_rule_store(store: SqlStore) -> RuleStore:
        return store

    def _is_an_energy_store(store: SqlStore) -> EnergyStore:
        return store


async def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Clock = time.time,
    history_days: float | None = DEFAULT_HISTORY_DAYS,
    audit_days: float | None = DEFAULT_AUDIT_DAYS,
    pool_size: int | None = None,
) -> SqlStore:
    """Open the store at `target` — a data directory (its `jibsa.db`), a SQLite file, `sqlite:///…` or
    `postgresql://…` — after bringing its schema to the newest version. State history older than
    `history_days`, and audit entries older than `audit_days`, are deleted as new ones come in (None or
    0: kept for ever). `pool_size`: PostgreSQL connections kept open (a provider's worker, with many homes,
    wants more than the default 5)."""
    url = database_url(target)
    await _check_reachable(url)
    await upgrade_to_head(url)
    engine = create_engine(url, pool_size=pool_size)
    return SqlStore(engine, clock, history_days=history_days, audit_days=audit_days)


async def _check_reachable(url: URL) -> None:
    """Fail with a clear `StorageUnavailable` before migrating, rather than a migration error."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
        where = url.render_as_string(hide_password=True)
        raise StorageUnavailable(f"{where}: cannot open the database: {error}") from error
    finally:
        await engine.dispose()
