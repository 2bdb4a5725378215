"""Bringing the schema to the newest version with Alembic, for SQLite and PostgreSQL alike.

Alembic is synchronous; `run_sync` hands it the async connection's synchronous face. Processes that
open the same database at once take turns: an advisory lock on PostgreSQL, the write lock (BEGIN
IMMEDIATE) on SQLite.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import SQLAlchemyError

from jibsa.storage.engine import create_engine
from jibsa.storage.errors import MigrationError

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number works; this is "jibsa" in ASCII, so it is recognisable in pg_locks.
_ADVISORY_LOCK_KEY = 0x6A69627361


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration without an ini file; `connection` is the one to migrate."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade_to_head(url: URL) -> None:
    """Apply every migration the database lacks; a no-op when it is current."""
    engine = create_engine(url, exclusive_begin=True)
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Held until this transaction ends; a second process waits, then finds nothing to do.
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
            await connection.run_sync(_upgrade)
    except SQLAlchemyError as error:
        where = url.render_as_string(hide_password=True)
        raise MigrationError(f"{where}: could not migrate the schema to {head_revision()}: {error}") from error
    finally:
        await engine.dispose()


async def current_revision(url: URL) -> str | None:
    """The schema version the database is at (None before the first migration)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    finally:
        await engine.dispose()


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")
