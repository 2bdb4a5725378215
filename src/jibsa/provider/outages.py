"""Which errors mean "PostgreSQL is away for now" (down, restarting, our connection killed): a request that
meets one is answered 503 `temporarily_unavailable` ("잠시 후에 다시 해 주세요"), not 500, and the next one
tries again on a fresh connection. A query the database refuses (a bug, a constraint) is not one of them."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_S = 2
UNAVAILABLE = "temporarily_unavailable"  # the API's error code, and a worker's reply code

# Raised by asyncpg directly (the claims pool, the journal) or by SQLAlchemy over it (the store).
_DOWN: tuple[type[Exception], ...] = (
    OSError,  # refused, reset, unreachable
    TimeoutError,  # connecting took too long
    asyncpg.InterfaceError,  # a closed connection used
    asyncpg.PostgresConnectionError,  # connection lost or not established
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,  # pg_terminate_backend, a fast shutdown
    asyncpg.ConnectionFailureError,
    asyncpg.TooManyConnectionsError,  # every connection taken: try again shortly
    # A pooled connection the server closed (pg_terminate_backend) while it sat idle: asyncpg notices only
    # when it is used, as "cannot switch to state …; another operation is in progress"; the pool drops it.
    asyncpg.InternalClientError,
    OperationalError,
    InterfaceError,
    PoolTimeout,  # every pooled connection busy past the pool's timeout: try again shortly (not a 500)
)


def database_down(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached now (rather than that it refused a query)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, DBAPIError) and error.orig is not None:
        return database_down(error.orig) or isinstance(error.orig.__cause__, _DOWN)
    return isinstance(error, _DOWN)


DOWN_ERRORS: tuple[type[Exception], ...] = (*_DOWN, DBAPIError)
