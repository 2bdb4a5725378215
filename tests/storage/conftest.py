"""Fixtures for the storage tests: an opened store on SQLite (in a temporary directory) and on a real
PostgreSQL, in a database made for this test session and dropped after it.

PostgreSQL is found in this order (tests_storage_support.py): $JIBSA_TEST_POSTGRES_URL; a server at
127.0.0.1:5432 (user postgres, then root; trust auth); a throw-away cluster started with initdb/pg_ctl
on a free port in a temporary directory (as user postgres when we are root). Set
JIBSA_TEST_POSTGRES_START=1 to go straight to the throw-away cluster. When none works, the PostgreSQL
tests are skipped, saying why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tests_storage_support import Postgres, empty_every_table, session_postgres, store_target

from jibsa.storage import SqlStore, open_store


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The session's PostgreSQL database, or why there is none."""
    with session_postgres() as found:
        yield found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def target(backend: str, postgres: Postgres, tmp_path: Path) -> str:
    return store_target(backend, postgres, tmp_path)


@pytest.fixture
async def store(target: str) -> AsyncIterator[SqlStore]:
    """An opened, migrated, empty store on the backend of the test's parameter."""
    opened = await open_store(target)
    try:
        yield opened
    finally:
        if opened.dialect == "postgresql":
            await empty_every_table(opened)
        await opened.close()
