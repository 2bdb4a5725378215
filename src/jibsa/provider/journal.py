"""A worker's writes to PostgreSQL, many in one transaction (group commit).

Every home of a worker writes device states, their history and audit rows; every request that changes a
home writes its reply. Written one transaction each, that was four or five commits a command and one per
device event: the database saturated long before 200 commands/s. The journal gathers them instead:

- `state` (a hub's change as it happens: each its own history row; the newest state of a device in a
  batch wins), `states`, `audit`, `reply` and `delete_audit_before` add rows to the open batch and return
  at once;
- a batch is written as one statement (one round trip and one transaction, whatever its size: each
  table's rows go as arrays); a few batches may be on their way at once, and each is done only once the
  batches before it are;
- `durable()` returns once everything added before it is committed. A worker sends a reply only after
  `durable()`, so the state, history and audit rows of a command commit with its reply or before it:
  nothing a reply acknowledged can be lost, and nothing else acknowledges these rows.
- When nobody waits, a batch lingers `linger_s` so that a flood of device events costs few commits; a
  waiter (a reply) ends the lingering at once.

A batch that fails for a lost connection is written again, with a growing pause (up to 2 s), for as long
as it takes, and later batches wait behind it (their replies too): nothing acknowledged is lost, and nothing
is acknowledged meanwhile. Each try is logged with the pause before the next (the first with its traceback)
and counted (`JournalStats`, the worker's `jibsa_worker_journal_retries_total{reason}`,
`jibsa_worker_journal_retried_batches_total` and `jibsa_worker_journal_failing_batches`), so an operator sees
a journal that cannot write. A batch the database refuses (a row it cannot take) is written row by row, and the rows it
still refuses are logged and dropped, as a lone write would have failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import StateChanged
from jibsa.storage import SqlStore
from jibsa.storage.accounts import AUDIT_PRUNE_EVERY_S, DEFAULT_AUDIT_DAYS

log = logging.getLogger(__name__)

LINGER_S = 0.01
IN_FLIGHT = 3
# A batch is one statement (one round trip, one transaction, whatever its size): each table's rows arrive as
# one array per column (unnest), and a table with no rows in the batch gets empty arrays.
_STATES, _HISTORY, _AUDIT, _REPLIES, _PRUNES = "states", "history", "audit", "replies", "prunes"
_WRITE = """
WITH states AS (
    INSERT INTO device_states (home_id, device_id, state, updated)
    SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::float8[])
    ON CONFLICT (home_id, device_id) DO UPDATE SET state = EXCLUDED.state, updated = EXCLUDED.updated
    WHERE device_states.updated <= EXCLUDED.updated  -- batches overlap: an older state never wins
), history AS (
    INSERT INTO state_history (home_id, device_id, at, old, new, cause)
    SELECT * FROM unnest($5::text[], $6::text[], $7::float8[], $8::jsonb[], $9::jsonb[], $10::jsonb[])
), audit AS (
    INSERT INTO audit_log (home_id, at, user_name, role, source, action, detail, ok, result)
    SELECT * FROM unnest($11::text[], $12::float8[], $13::text[], $14::text[], $15::text[], $16::text[],
                         $17::jsonb[], $18::bool[], $19::jsonb[])
), replies AS (
    INSERT INTO provider_replies (home_id, request_id, claimed, reply)
    SELECT * FROM unnest($20::text[], $21::text[], $22::float8[], $23::jsonb[])
    ON CONFLICT (home_id, request_id) DO UPDATE SET reply = EXCLUDED.reply
), prunes AS (
    DELETE FROM audit_log a USING unnest($24::text[], $25::float8[]) AS d(home_id, at)
    WHERE a.home_id = d.home_id AND a.at < d.at
)
SELECT 1
"""
_WIDTHS = {_STATES: 4, _HISTORY: 6, _AUDIT: 9, _REPLIES: 4, _PRUNES: 2}  # columns, in the statement's order
_AUDIT_FIELDS = ("home_id", "at", "user_name", "role", "source", "action", "detail", "ok", "result")

Change = tuple[str, Mapping[str, Any], Mapping[str, Any], float]
Row = tuple[Any, ...]


def _json(value: Mapping[str, Any]) -> str:
    # orjson, not json: two or three documents a device event, at a tenth of json's CPU each. PostgreSQL keeps
    # jsonb parsed, so the text's spelling does not matter; a value JSON has no word for (NaN) becomes null.
    return orjson.dumps(value if isinstance(value, dict) else dict(value), option=orjson.OPT_NON_STR_KEYS).decode()


@dataclass
class _Batch:
    done: asyncio.Future[None]
    # Keyed where a row may come twice: a device's newest state wins; a request has one reply.
    states: dict[tuple[str, str], Row] = field(default_factory=dict)
    replies: dict[tuple[str, str], Row] = field(default_factory=dict)
    history: list[Row] = field(default_factory=list)  # every change its own row, in the order they came
    lists: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.lists.setdefault(table, []).append(row)

    def tables(self) -> dict[str, list[Row]]:
        """Each table's rows; the upserted ones in key order, so batches written side by side lock the rows
        they share in the same order and never wait on each other in a circle (a deadlock)."""
        return {
            _STATES: [self.states[key] for key in sorted(self.states)], _HISTORY: self.history,
            _REPLIES: [self.replies[key] for key in sorted(self.replies)], **self.lists,
        }  # fmt: skip

    def __len__(self) -> int:
        return len(self.states) + len(self.replies) + len(self.history) + sum(map(len, self.lists.values()))


def _arguments(tables: Mapping[str, Sequence[Row]]) -> list[list[Any]]:
    """The statement's 25 arrays: each table's rows as one list per column (empty for a table not given)."""
    arguments: list[list[Any]] = []
    for table, width in _WIDTHS.items():
        rows = tables.get(table, ())
        arguments += [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    return arguments


@dataclass
class JournalStats:
    """What the journal did: batches, rows, and the seconds its transactions took."""

    batches: int = 0
    rows: int = 0
    seconds: float = 0.0
    retries: int = 0  # tries that failed and were made again, for either reason below
    dropped: int = 0
    connection_retries: int = 0  # the database out of reach (down, restarting, the connection lost)
    lock_retries: int = 0  # another batch's locks (a deadlock or a serialization failure)
    retried_batches: int = 0  # batches written only after more than one try (or being tried still)
    failing_batches: int = 0  # batches whose last try failed, now


class Journal:
    """Batches of rows for one PostgreSQL (`dsn`, a libpq URL), on connections of its own. Up to `in_flight`
    batches are written at once (a commit waits for the disk; the next batch need not wait for it), and
    each is done only once the batches before it are: `durable()` keeps its promise in order."""

    def __init__(self, dsn: str, *, linger_s: float = LINGER_S, in_flight: int = IN_FLIGHT) -> None:
        self._dsn = dsn
        self._linger_s = linger_s
        self._idle: list[asyncpg.Connection] = []
        self._slots = asyncio.Semaphore(in_flight)
        self._batch: _Batch | None = None
        self._wake = asyncio.Event()
        self._urgent = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._writers: set[asyncio.Task[None]] = set()
        self._writing: asyncio.Future[None] | None = None  # the newest batch being written
        self.stats = JournalStats()

    async def start(self) -> None:
        self._idle.append(await asyncpg.connect(self._dsn))  # fails now if the database cannot be reached
        self._batch = self._new_batch()
        self._task = asyncio.create_task(self._run(), name="provider-journal")

    async def stop(self) -> None:
        """Write what is open, then close."""
        if self._task is None:
            return
        with contextlib.suppress(Exception):  # the database gone: nothing more can be written
            async with asyncio.timeout(10):
                await self.durable()
        self._task.cancel()
        for writer in self._writers:
            writer.cancel()
        await asyncio.gather(self._task, *self._writers, return_exceptions=True)
        self._task = None
        for connection in self._idle:
            await connection.close()
        self._idle.clear()

    # -- rows -----------------------------------------------------------------------------------

    def states(self, home_id: str, changes: Sequence[Change], causes: Mapping[str, Mapping[str, Any]] | None) -> None:
        """Device states and their history; for a device changed more than once, the last is its state."""
        for device_id, old, new, at in changes:
            self.state(home_id, device_id, old, new, at, cause=causes.get(device_id) if causes else None)

    def state(
        self,
        home_id: str,
        device_id: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        at: float,
        *,
        cause: Mapping[str, Any] | None = None,
    ) -> None:
        """One device's change: its state (the newest of the batch wins) and its history row."""
        batch = self._open()
        state = _json(new)
        batch.states[(home_id, device_id)] = (home_id, device_id, state, at)
        batch.history.append((home_id, device_id, at, _json(old), state, None if cause is None else _json(cause)))

    def audit(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Audit rows as the store builds them (their documents already JSON text)."""
        batch = self._open()
        for row in rows:
            batch.add(_AUDIT, tuple(row[name] for name in _AUDIT_FIELDS))

    def delete_audit_before(self, home_id: str, at: float) -> None:
        self._open().add(_PRUNES, (home_id, at))

    def reply(self, home_id: str, request_id: str, claimed: float, reply: str) -> None:
        """A claimed request's reply (JSON text)."""
        self._open().replies[(home_id, request_id)] = (home_id, request_id, claimed, reply)

    async def durable(self) -> None:
        """Return once every row added before this call is committed."""
        if self._batch is None or not len(self._batch):
            previous = self._writing
            if previous is not None:
                await asyncio.shield(previous)
            return
        done = self._batch.done
        self._urgent.set()
        self._wake.set()
        await asyncio.shield(done)

    # -- writing --------------------------------------------------------------------------------

    def _new_batch(self) -> _Batch:
        return _Batch(asyncio.get_running_loop().create_future())

    def _open(self) -> _Batch:
        if self._batch is None:
            raise RuntimeError("the journal is not started")
        self._wake.set()
        return self._batch

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            assert self._batch is not None
            if not len(self._batch):
                continue
            if not self._urgent.is_set():  # nobody waits: let more rows join this transaction
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._linger_s):
                        await self._urgent.wait()
            await self._slots.acquire()  # rows keep joining the open batch while every slot is busy
            self._urgent.clear()
            batch, self._batch = self._batch, self._new_batch()
            writer = asyncio.create_task(self._write_in_turn(batch, self._writing))
            self._writing = batch.done
            self._writers.add(writer)
            writer.add_done_callback(self._writers.discard)

    async def _write_in_turn(self, batch: _Batch, before: asyncio.Future[None] | None) -> None:
        try:
            await self._write(batch)
        except Exception as error:  # a bug, not the database: its waiters hear of it; later batches go on
            log.exception("could not write a batch of %d rows", len(batch))
            batch.done.set_exception(error)
            return
        finally:
            self._slots.release()
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        batch.done.set_result(None)

    async def _write(self, batch: _Batch) -> None:
        tables = batch.tables()
        failures = 0
        first_failed = 0.0
        try:
            while True:
                started = time.perf_counter()
                connection = None
                try:
                    connection = await self._connect()
                    await connection.execute(_WRITE, *_arguments(tables))
                except (OSError, asyncpg.InterfaceError, asyncpg.exceptions.PostgresConnectionError) as error:
                    if connection is not None:
                        connection.terminate()
                    failures, first_failed = self._failed(failures, first_failed, started)
                    self.stats.connection_retries += 1
                    pause = min(2.0, 0.05 * 2**failures)
                    log.warning("journal: could not write a batch of %d rows (try %d, failing for %.1f s: %s); "
                                "trying again in %.2f s", len(batch), failures, time.perf_counter() - first_failed,
                                type(error).__name__, pause, exc_info=error if failures == 1 else None)  # fmt: skip
                    await asyncio.sleep(pause)
                    continue
                except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError):  # another batch's locks: again
                    self._idle.append(connection)
                    failures, first_failed = self._failed(failures, first_failed, started)
                    self.stats.lock_retries += 1
                    pause = min(2.0, 0.01 * 2**failures)
                    log.warning("journal: a batch of %d rows met another's locks (try %d); trying again in %.2f s",
                                len(batch), failures, pause)  # fmt: skip
                    await asyncio.sleep(pause)
                    continue
                except asyncpg.PostgresError:
                    log.exception("the database refused a batch of %d rows; writing them one by one", len(batch))
                    await self._write_one_by_one(connection, tables)
                self._idle.append(connection)
                self.stats.batches += 1
                self.stats.rows += len(batch)
                self.stats.seconds += time.perf_counter() - started
                if failures:
                    log.warning("journal: a batch of %d rows written after %d failed tries (%.1f s)", len(batch),
                                failures, time.perf_counter() - first_failed)  # fmt: skip
                return
        finally:
            if failures:
                self.stats.failing_batches -= 1

    def _failed(self, failures: int, first_failed: float, started: float) -> tuple[int, float]:
        """Count a failed try of a batch: (its failures so far, when its first one began)."""
        self.stats.retries += 1
        if failures == 0:
            self.stats.retried_batches += 1
            self.stats.failing_batches += 1
            first_failed = started
        return failures + 1, first_failed

    async def _write_one_by_one(self, connection: asyncpg.Connection, tables: Mapping[str, list[Row]]) -> None:
        for table, rows in tables.items():
            for row in rows:
                try:
                    await connection.execute(_WRITE, *_arguments({table: [row]}))
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                    self.stats.dropped += 1
                    log.exception("dropped a row of %s the database refused", table)

    async def _connect(self) -> asyncpg.Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.is_closed():
                return connection
        return await asyncpg.connect(self._dsn)


class JournalStore(SqlStore):
    """The store a worker's homes share: reads and other writes as `SqlStore`; device states, their history
    and audit rows go to the `journal` (durable by the time a reply that follows them is sent). State
    history is kept by the provider's retention (`jibsa.provider.database.maintain_history`), not per home
    here."""

    def __init__(self, engine: AsyncEngine, journal: Journal, *, audit_days: float | None = DEFAULT_AUDIT_DAYS) -> None:
        super().__init__(engine, audit_days=audit_days)
        self._journal = journal

    async def save_states(
        self, home_id: str, changes: Sequence[Change], causes: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        self._journal.states(home_id, changes, causes)

    def take_state(self, home_id: str, change: StateChanged) -> None:
        """A hub's change as it happens (this store is a `StateLog`): the journal batches every home's."""
        self._journal.state(home_id, change.device_id, change.old, change.new, change.at, cause=change.cause)

    async def _write_audit(self, rows: Sequence[dict[str, Any]]) -> None:
        """`append_audit` builds the rows (bounded, redacted) and calls this; here they join the journal."""
        self._journal.audit(rows)
        if self._audit_days is None:
            return
        for home_id in {row["home_id"] for row in rows}:
            newest = max(row["at"] for row in rows if row["home_id"] == home_id)
            if newest - self._audit_pruned.get(home_id, float("-inf")) >= AUDIT_PRUNE_EVERY_S:
                self._audit_pruned[home_id] = newest
                self._journal.delete_audit_before(home_id, newest - self._audit_days * 86_400)
