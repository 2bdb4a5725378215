"""Requests already applied, and their replies: what makes a replayed request harmless.

A request that changes a home (`say`, `command`) is claimed before it is applied: a row keyed by
(home_id, request_id) with no reply yet, committed; the reply is written once it is applied. A request
whose id is claimed already is never applied again: it is answered from the stored reply, or, when the
worker that claimed it died before answering, told as interrupted (it may or may not have acted; the
device state says which). At most once, and every acknowledged request has its row.

The table lives in its own metadata (not `jibsa.storage.schema`): only provider deployments have it, and
the worker creates it if missing. Its name is `provider_replies`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.wire import Reply

metadata = sa.MetaData()

provider_replies = sa.Table(
    "provider_replies", metadata,
    sa.Column("home_id", sa.String(64), primary_key=True),
    sa.Column("request_id", sa.String(128), primary_key=True),
    sa.Column("claimed", sa.Double(), nullable=False),
    sa.Column("reply", JSONB(), nullable=True),  # NULL: claimed, not answered (yet, or ever)
    sa.Index("ix_provider_replies_claimed", "claimed"),
)  # fmt: skip

_CREATE_LOCK = 0x6A6962_7361  # "jibsa", the advisory lock key of creating this table

# The tables a home's timers and rules live in: a home with rows there runs as soon as its shard is taken.
_PENDING_JOBS = sa.table("pending_jobs", sa.column("home_id"))
_RULES = sa.table("rules", sa.column("home_id"))


@dataclass(frozen=True, slots=True)
class Claimed:
    """A request id seen before: its reply, or None when it was claimed and never answered."""

    reply: Reply | None


INTERRUPTED = Reply(False, code="interrupted", message="the worker stopped while carrying this out; see the state")


class Replies:
    """`provider_replies` on PostgreSQL."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock

    async def close(self) -> None:
        await self._engine.dispose()

    async def create_table(self) -> None:
        """Create the table if missing; workers starting together wait for each other (an advisory lock)."""
        async with self._engine.begin() as connection:
            await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CREATE_LOCK})
            await connection.run_sync(metadata.create_all)

    async def claim(self, home_id: str, request_id: str) -> Claimed | None:
        """None: claimed now, carry it out. Else it was claimed before: what to answer."""
        statement = (
            pg_insert(provider_replies)
            .values(home_id=home_id, request_id=request_id, claimed=self._clock(), reply=None)
            .on_conflict_do_nothing()
            .returning(provider_replies.c.home_id)
        )
        async with self._engine.begin() as connection:
            if (await connection.execute(statement)).first() is not None:
                return None
            kept = await connection.scalar(
                sa.select(provider_replies.c.reply).where(
                    provider_replies.c.home_id == home_id, provider_replies.c.request_id == request_id
                )
            )
        return Claimed(None if kept is None else Reply.from_bytes(json.dumps(kept).encode()))

    async def answered(self, home_id: str, request_id: str, reply: Reply) -> None:
        """Keep the reply of a claimed request (before it is sent)."""
        document = json.loads(reply.to_bytes())
        async with self._engine.begin() as connection:
            await connection.execute(
                sa.update(provider_replies)
                .where(provider_replies.c.home_id == home_id, provider_replies.c.request_id == request_id)
                .values(reply=document)
            )

    async def forget_before(self, at: float) -> int:
        """Delete rows claimed before `at` (a replay never comes that late: the stream keeps less)."""
        async with self._engine.begin() as connection:
            result = await connection.execute(sa.delete(provider_replies).where(provider_replies.c.claimed < at))
        return int(result.rowcount or 0)

    async def homes_with_work(self, keep: Callable[[str], bool]) -> list[str]:
        """Homes with timers or rules (among those `keep` accepts): they run without being asked."""
        query = sa.union(sa.select(_PENDING_JOBS.c.home_id), sa.select(_RULES.c.home_id))
        async with self._engine.connect() as connection:
            found: Iterable[str] = (await connection.scalars(query)).all()
        return sorted(h for h in found if keep(h))
