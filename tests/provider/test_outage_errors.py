"""Which errors are "PostgreSQL is away for now" (a 503 the client tries again after), and which are not."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import TimeoutError as PoolTimeout

from jibsa.provider.outages import DOWN_ERRORS, database_down


def test_a_pool_with_every_connection_busy_too_long_is_the_database_away() -> None:
    """SQLAlchemy's pool timing out (every connection busy for 30 s) is answered 503 "try again shortly",
    not a 500 whose traceback logging costs the busy gateway more CPU still."""
    error = PoolTimeout("QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00")
    assert database_down(error)
    assert any(isinstance(error, kind) for kind in DOWN_ERRORS)  # the gateway's 503 handler takes it


def test_a_query_the_database_refuses_is_not_the_database_away() -> None:
    assert not database_down(asyncpg.UniqueViolationError("duplicate key"))
    assert not database_down(ValueError("a bug"))
