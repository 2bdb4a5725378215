"""Requests already applied, and their replies: what makes a replayed request harmless.

A request that changes a home (`say`, `command`) is claimed before it is applied: a row keyed by
(home_id, request_id) with no reply yet, committed in one statement; the reply is written once it is
applied, with the rows of what it changed (`jibsa.provider.journal`), before it is sent. A request whose id
is claimed already is never applied again: it is answered from the stored reply, or, when the worker that
claimed it died before answering, told as interrupted (it may or may not have acted; the device state says
which). At most once, and every acknowledged request has its row.

A request answered live with a failure ("try again shortly": its shard changing workers, PostgreSQL away)
is recorded as refused (`refuse`) before the failure is sent: the stream's copy of it, replayed by whichever
worker, finds the row and is not carried out behind the back of whoever was told it was not. The sender's
own retry under the same id is live, and its claim takes the refused row over: carried out afresh.

Claims that come together are made together (`ClaimBatches`): one statement for every claim waiting when
the last one returned, so a backlog (a shard taken over, a burst) costs one round trip per batch, not one
per request queueing for the pool, and the event loop resumes once per batch.

Claims are committed without waiting for the disk (`synchronous_commit = off`): PostgreSQL writes its
log in order, so the claim is on disk once the reply's transaction (which waits) is, and a claim lost in
a crash had nothing of its request committed after it. Other workers see it as soon as it commits.

The table lives in its own metadata (not `jibsa.storage.schema`): only provider deployments have it, and
the worker creates it if missing. Its name is `provider_replies`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.wire import Reply

metadata = sa.MetaData()

provider_replies = sa.Table(
    "provider_replies", metadata,
    sa.Column("home_id", sa.String(64), primary_key=True),
    sa.Column("request_id", sa.String(128), primary_key=True),
    sa.Column("claimed", sa.Double(), nullable=False),
    sa.Column("reply", JSONB(), nullable=True),  # NULL: claimed, not answered (yet, or ever)
    sa.Column("refused", sa.Boolean(), nullable=False, server_default=sa.false()),  # answered live with a failure
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
    refused: bool = False  # answered live with a failure, and not carried out


def _claimed(reply: str | None, refused: bool) -> Claimed:
    return Claimed(None if reply is None else Reply.from_bytes(reply.encode()), refused)


# The claim, and the reply kept for an id claimed before (the statement's snapshot: committed rows). A live
# claim ($4) takes over a refused row: the sender tries again.
_CLAIM = """
WITH claimed AS (
    INSERT INTO provider_replies (home_id, request_id, claimed, reply) VALUES ($1, $2, $3, NULL)
    ON CONFLICT (home_id, request_id) DO UPDATE SET claimed = EXCLUDED.claimed, reply = NULL, refused = false
    WHERE provider_replies.refused AND $4::boolean
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claimed) AS new, r.reply::text AS reply, r.refused
FROM (SELECT 1) AS one LEFT JOIN provider_replies AS r ON r.home_id = $1 AND r.request_id = $2
"""

# The same for a batch of claims (no (home, request) twice in one batch): a row per claim, `new` if it is
# claimed now, else the reply kept (and whether it was refused).
_CLAIM_MANY = """
WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $4::boolean[]) AS k (home_id, request_id, live)),
claimed AS (
    INSERT INTO provider_replies (home_id, request_id, claimed, reply) SELECT home_id, request_id, $3, NULL FROM k
    ON CONFLICT (home_id, request_id) DO UPDATE SET claimed = EXCLUDED.claimed, reply = NULL, refused = false
    WHERE provider_replies.refused AND EXISTS (
        SELECT 1 FROM k WHERE k.home_id = EXCLUDED.home_id AND k.request_id = EXCLUDED.request_id AND k.live)
    RETURNING home_id, request_id
)
SELECT k.home_id, k.request_id, c.home_id IS NOT NULL AS new, r.reply::text AS reply, r.refused
FROM k LEFT JOIN claimed AS c ON c.home_id = k.home_id AND c.request_id = k.request_id
LEFT JOIN provider_replies AS r ON r.home_id = k.home_id AND r.request_id = k.request_id
"""

# A refusal: recorded unless the id was claimed (and so carried out, or being) meanwhile.
_REFUSE = """
WITH refused AS (
    INSERT INTO provider_replies (home_id, request_id, claimed, reply, refused) VALUES ($1, $2, $3, $4::jsonb, true)
    ON CONFLICT (home_id, request_id) DO UPDATE SET claimed = EXCLUDED.claimed, reply = EXCLUDED.reply
    WHERE provider_replies.refused
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM refused) AS new,
       (SELECT reply::text FROM provider_replies WHERE home_id = $1 AND request_id = $2) AS reply
"""


# Which of a batch of request ids were claimed (answered or not) or refused already, and their replies: one
# statement for a replayed batch.
_CLAIMED = """
SELECT r.home_id, r.request_id, r.reply::text AS reply, r.refused FROM provider_replies AS r
JOIN unnest($1::text[], $2::text[]) AS k (home_id, request_id)
  ON r.home_id = k.home_id AND r.request_id = k.request_id
"""


async def claims_pool(url: URL, size: int = 8) -> asyncpg.Pool:
    """Connections for claims, committing without waiting for the disk (see the module's note)."""
    dsn = libpq_url(url)
    settings = {"synchronous_commit": "off"}
    pool = await asyncpg.create_pool(
        dsn, min_size=1, max_size=size, server_settings=settings, reset=_nothing_to_reset
    )  # fmt: skip
    assert pool is not None
    return pool


async def _nothing_to_reset(_: asyncpg.Connection) -> None:
    """A claim leaves no session state (no transaction, cursor, LISTEN or SET): a connection goes back to
    the pool without asyncpg's RESET ALL round trip, which cost as much as the claim itself."""


def libpq_url(url: URL) -> str:
    """`postgresql://…` for asyncpg itself, from the store's SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


INTERRUPTED = Reply.refusal("interrupted", "reply_interrupted")


class Replies:
    """`provider_replies` on PostgreSQL."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock

    async def create_table(self) -> None:
        """Create the table if missing; workers starting together wait for each other (an advisory lock)."""
        async with self._engine.begin() as connection:
            await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CREATE_LOCK})
            await connection.run_sync(metadata.create_all)
            await connection.execute(  # a table made before refusals were recorded
                sa.text("ALTER TABLE provider_replies ADD COLUMN IF NOT EXISTS refused boolean NOT NULL DEFAULT false")
            )

    async def claim(self, claims: asyncpg.Pool, home_id: str, request_id: str, *, live: bool = True) -> Claimed | None:
        """None: claimed now, carry it out. Else it was claimed (or refused) before: what to answer. A `live`
        request (its sender waiting, perhaps trying again) takes over a refusal; a replayed copy does not.
        One statement on `claims` (a pool from `claims_pool`)."""
        row = await claims.fetchrow(_CLAIM, home_id, request_id, self._clock(), live)
        assert row is not None
        if row["new"]:
            return None
        return _claimed(row["reply"], bool(row["refused"]))

    async def claim_many(
        self, claims: asyncpg.Pool, keys: Sequence[tuple[str, str, bool]]
    ) -> dict[tuple[str, str], Claimed | None]:
        """`claim` for each of `keys` ((home_id, request_id, live), no (home, request) twice), in one statement."""
        if not keys:
            return {}
        homes, ids, live = [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]
        rows = await claims.fetch(_CLAIM_MANY, homes, ids, self._clock(), live)
        return {
            (row["home_id"], row["request_id"]): None if row["new"] else _claimed(row["reply"], bool(row["refused"]))
            for row in rows
        }

    async def refuse(self, claims: asyncpg.Pool, home_id: str, request_id: str, reply: Reply) -> Claimed | None:
        """Record that the request was answered `reply` (a failure) and is not to be carried out: None once
        it is committed (and on disk). Else the id was claimed meanwhile (carried out, or being): its row."""
        async with claims.acquire() as connection, connection.transaction():
            await connection.execute("SET LOCAL synchronous_commit = on")  # a refusal lost would be carried out
            row = await connection.fetchrow(_REFUSE, home_id, request_id, self._clock(), reply.to_bytes().decode())
        assert row is not None
        return None if row["new"] else _claimed(row["reply"], False)

    async def claimed(self, claims: asyncpg.Pool, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Claimed]:
        """Which of `keys` ((home_id, request_id)) were claimed or refused before, and how: one statement."""
        if not keys:
            return {}
        rows = await claims.fetch(_CLAIMED, [h for h, _ in keys], [r for _, r in keys])
        return {(row["home_id"], row["request_id"]): _claimed(row["reply"], row["refused"]) for row in rows}

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


BATCH = 256  # claims in one statement at most


class ClaimBatches:
    """Claims made together: `claim` waits for a batch, which holds every claim asked for while the one before
    it was under way (one batch at a time). A batch that fails fails each of its claims with its error."""

    def __init__(self, replies: Replies, claims: asyncpg.Pool) -> None:
        self._replies = replies
        self._claims = claims
        self._waiting: dict[tuple[str, str], tuple[bool, list[asyncio.Future[Claimed | None]]]] = {}
        self._running: asyncio.Task[None] | None = None
        self.batches = 0

    async def claim(self, home_id: str, request_id: str, *, live: bool = True) -> Claimed | None:
        """As `Replies.claim`; the same request asked twice at once is claimed once, and the second asker is
        told it was claimed (answered from the stored reply, or interrupted, as a second claim would be)."""
        future: asyncio.Future[Claimed | None] = asyncio.get_running_loop().create_future()
        key = (home_id, request_id)
        if key in self._waiting:
            self._waiting[key][1].append(future)
        else:
            self._waiting[key] = (live, [future])
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._run())
        return await future

    async def _run(self) -> None:
        while self._waiting:
            batch = dict(list(self._waiting.items())[:BATCH])
            for key in batch:
                del self._waiting[key]
            self.batches += 1
            try:
                found = await self._replies.claim_many(
                    self._claims, [(h, r, live) for (h, r), (live, _) in batch.items()]
                )
            except Exception as error:  # each claim's caller hears the error (the database away, say)
                found = {}
                failed: Exception | None = error
            else:
                failed = None
            for key, (_, futures) in batch.items():
                _answer(futures, found, key, failed)


def _answer(
    futures: list[asyncio.Future[Claimed | None]],
    found: dict[tuple[str, str], Claimed | None],
    key: tuple[str, str],
    failed: Exception | None,
) -> None:
    """Tell one claim's askers what the batch found (the first asker claimed it; any other was beaten to it)."""
    if failed is None and key not in found:  # (cannot be: the statement selects a row for every claim)
        failed = RuntimeError(f"no row for the claim of {key}")
    for index, future in enumerate(futures):
        if future.done():
            continue
        if failed is not None:
            future.set_exception(failed)
        elif index == 0:
            future.set_result(found[key])
        else:  # the same request twice at once: claimed by the first
            future.set_result(found[key] or Claimed(None))
