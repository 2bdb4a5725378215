"""The provider's PostgreSQL: the single-home tables of `jibsa.storage.schema`, partitioned, and the
tables only a provider has (homes, invitations, the provider's own audit).

The big tables are hash-partitioned by `home_id` (`HASH_PARTITIONS`), so one home's rows sit in one
partition of each; state history is range-partitioned by time (one partition per `HISTORY_PARTITION_DAYS`,
created ahead by `maintain_history`, dropped whole once older than every home's retention). The small
account tables (users, tokens, sessions) stay whole: a token's hash must be unique across all homes.

Column names and types are those of `jibsa.storage.schema`, so the hub's store (`jibsa.storage.SqlStore`)
reads and writes a provider database as it does a home's; the database is stamped at the same Alembic
revision, and a later migration's ALTER TABLE reaches every partition. Only primary keys change: a
partitioned table's keys must hold its partition column, so `id` keys become `(home_id, id)` and
history's `(id, at)`. The single-home path (`jibsa serve`, `open_store`) never comes here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from jibsa.storage import schema as home_schema
from jibsa.storage.engine import create_engine
from jibsa.storage.migrate import alembic_config

HASH_PARTITIONS = 16
HISTORY_PARTITION_DAYS = 1
HISTORY_DAYS_AHEAD = 3  # partitions made ahead of time, so rows never wait for one
DEFAULT_HISTORY_DAYS = 30.0
_DAY = 86_400.0
_ADVISORY_LOCK_KEY = 0x6A6962736150  # "jibsaP": provider schema changes take turns

# Small tables kept whole (a token's hash is unique across every home).
UNPARTITIONED = frozenset({"users", "access_tokens", "login_sessions"})
# Tables partitioned by time, and their time column.
BY_TIME = {"state_history": "at"}

_ID = sa.String(64)
_DOC = JSONB()

metadata = sa.MetaData()

homes = sa.Table(
    "homes", metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("home_file", sa.Text(), nullable=False),  # the home file as written (YAML), for its worker
    sa.Column("created", sa.Double(), nullable=False),
    sa.Column("history_days", sa.Double(), nullable=True),  # NULL: the provider's default retention
)  # fmt: skip

home_invites = sa.Table(
    "home_invites", metadata,
    sa.Column("code_hash", sa.String(128), primary_key=True),  # SHA-256 of the code; the code is shown once
    sa.Column("home_id", _ID, nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_by", _ID, nullable=False),
    sa.Column("created", sa.Double(), nullable=False),
    sa.Column("expires", sa.Double(), nullable=False),
    sa.Column("used", sa.Double(), nullable=True),
    sa.Column("used_by", _ID, nullable=True),
)  # fmt: skip

# What the provider did to homes (import, export, delete): kept after a home is deleted, so it names the
# home and counts rows but holds nothing of the home's own data.
provider_audit = sa.Table(
    "provider_audit", metadata,
    sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
    sa.Column("at", sa.Double(), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("home_id", _ID, nullable=False, index=True),
    sa.Column("detail", _DOC, nullable=False),
)  # fmt: skip


def _partitioned_copy(table: sa.Table) -> sa.Table:
    """`table` for the provider: the same columns, a key that holds the partition column, partitioned."""
    key = [column.name for column in table.primary_key.columns]
    time_column = BY_TIME.get(table.name)
    if time_column is not None:
        key, partition_by = [*key, time_column], f"RANGE ({time_column})"
    else:
        key, partition_by = (key if "home_id" in key else ["home_id", *key]), "HASH (home_id)"
    columns = []
    for column in table.columns:
        copy = column._copy()
        copy.primary_key = column.name in key
        copy.nullable = False if copy.primary_key else column.nullable
        columns.append(copy)
    extras: list[sa.Index | sa.UniqueConstraint] = [
        sa.Index(index.name, *(c.name for c in index.columns)) for index in table.indexes
    ]
    extras += [
        sa.UniqueConstraint(*(c.name for c in constraint.columns), name=constraint.name)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    return sa.Table(table.name, metadata, *columns, *extras, postgresql_partition_by=partition_by)


for _table in home_schema.metadata.sorted_tables:
    if _table.name in UNPARTITIONED:
        _table.to_metadata(metadata)
    else:
        _partitioned_copy(_table)

users = metadata.tables["users"]
access_tokens = metadata.tables["access_tokens"]
login_sessions = metadata.tables["login_sessions"]
HASH_PARTITIONED = tuple(
    name for name in (t.name for t in home_schema.metadata.sorted_tables) if name not in UNPARTITIONED | set(BY_TIME)
)


async def prepare_database(url: URL, *, partitions: int = HASH_PARTITIONS, now: float | None = None) -> None:
    """Create the provider schema in an empty database (idempotent: a prepared database is left as it
    is, apart from history partitions made ahead) and stamp it at the single-home schema's revision."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
            if not await connection.run_sync(lambda sync: sa.inspect(sync).has_table("homes")):
                await connection.run_sync(lambda sync: _create(sync, partitions))
            await _make_history_partitions(connection, time.time() if now is None else now)
    finally:
        await engine.dispose()


def _create(connection: Connection, partitions: int) -> None:
    metadata.create_all(connection)
    for name in HASH_PARTITIONED:
        for remainder in range(partitions):
            connection.exec_driver_sql(
                f"CREATE TABLE {name}_p{remainder:02d} PARTITION OF {name} "
                f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
            )
    for name in BY_TIME:
        connection.exec_driver_sql(f"CREATE TABLE {name}_default PARTITION OF {name} DEFAULT")
    command.stamp(alembic_config(connection), "head")


def _day_start(at: float) -> float:
    return at - at % (_DAY * HISTORY_PARTITION_DAYS)


async def _make_history_partitions(connection: AsyncConnection, now: float) -> list[str]:
    made = []
    start = _day_start(now) - _DAY * HISTORY_PARTITION_DAYS
    while start <= now + _DAY * HISTORY_DAYS_AHEAD:
        end = start + _DAY * HISTORY_PARTITION_DAYS
        name = f"state_history_{time.strftime('%Y%m%d', time.gmtime(start))}"
        exists = await connection.scalar(sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name})
        if not exists:
            await connection.execute(
                sa.text(f"CREATE TABLE {name} PARTITION OF state_history FOR VALUES FROM ({start!r}) TO ({end!r})")
            )
            made.append(name)
        start = end
    return made


@dataclass(frozen=True)
class Retention:
    """What `apply_retention` removed."""

    dropped_partitions: tuple[str, ...]
    deleted_rows: int


async def maintain_history(engine: AsyncEngine, now: float, default_days: float = DEFAULT_HISTORY_DAYS) -> Retention:
    """Make history partitions ahead of `now` and apply each home's retention (`homes.history_days`, or
    `default_days`): partitions older than every home's retention are dropped whole; rows of homes that
    keep less are deleted from the partitions that stay."""
    async with engine.begin() as connection:
        await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        await _make_history_partitions(connection, now)
        longest = await connection.scalar(sa.select(sa.func.max(sa.func.coalesce(homes.c.history_days, default_days))))
        horizon = now - _DAY * max(float(longest or default_days), default_days)
        dropped = []
        for name, upper in await _history_partitions(connection):
            if upper <= horizon:
                await connection.execute(sa.text(f"DROP TABLE {name}"))
                dropped.append(name)
        history = metadata.tables["state_history"]
        kept_until = now - _DAY * sa.func.coalesce(homes.c.history_days, default_days)
        result = await connection.execute(
            sa.delete(history).where(history.c.home_id == homes.c.id, history.c.at < kept_until)
        )
        return Retention(tuple(dropped), result.rowcount)


async def _history_partitions(connection: AsyncConnection) -> list[tuple[str, float]]:
    """Every time partition of state history but the default one, with its upper bound."""
    rows = await connection.execute(
        sa.text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = 'state_history' AND NOT c.relname = 'state_history_default'"
        )
    )
    found = []
    for name, bound in rows.all():
        # FOR VALUES FROM ('1765065600') TO ('1765152000')
        upper = bound.rsplit("TO (", 1)[1].strip(")' ")
        found.append((str(name), float(upper)))
    return found
