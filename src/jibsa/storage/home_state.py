"""The hub's part of the store: device states and their history, pending jobs, and lists."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.hub.store import HistoryEntry, PendingJob
from jibsa.storage.base import Clock, StoreBase
from jibsa.storage.schema import device_states, list_items, pending_jobs, state_history

Change = tuple[str, Mapping[str, Any], Mapping[str, Any], float]


DEFAULT_HISTORY_DAYS = 30.0  # state history older than this is deleted (0 or None: kept for ever)
PRUNE_EVERY_S = 3600.0


class HomeStateRecords(StoreBase):
    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock = time.time,
        *,
        history_days: float | None = DEFAULT_HISTORY_DAYS,
        **rest: Any,
    ) -> None:
        super().__init__(engine, clock, **rest)  # the next part of a store made of several (SqlStore)
        self._history_days = history_days if history_days and history_days > 0 else None  # None: keep all
        self._pruned: dict[str, float] = {}  # home id -> when its history was last pruned

    async def load_states(self, home_id: str) -> dict[str, dict[str, Any]]:
        """The last saved state of every device of the home, by device id."""
        query = sa.select(device_states.c.device_id, device_states.c.state).where(device_states.c.home_id == home_id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {row.device_id: dict(row.state) for row in rows}

    async def save_state(
        self, home_id: str, device_id: str, old: Mapping[str, Any], new: Mapping[str, Any], at: float
    ) -> None:
        """Keep `new` as the device's state and record the change in its history, in one transaction."""
        await self.save_states(home_id, [(device_id, old, new, at)])

    async def save_states(
        self, home_id: str, changes: Sequence[Change], causes: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        """Like `save_state` for many (device_id, old, new, at) changes, in one transaction; for a device
        changed more than once, the last change in `changes` is its state."""
        if not changes:
            return
        # One row per device: PostgreSQL refuses to upsert the same row twice in one statement.
        latest = {
            device_id: {"home_id": home_id, "device_id": device_id, "state": dict(new), "updated": at}
            for device_id, _old, new, at in changes
        }
        history = [
            {
                "home_id": home_id,
                "device_id": device_id,
                "at": at,
                "old": dict(old),
                "new": dict(new),
                "cause": dict(causes[device_id]) if causes and device_id in causes else None,
            }
            for device_id, old, new, at in changes
        ]
        sqlite = self._engine.dialect.name == "sqlite"
        newest = max(at for *_, at in changes)

        def write(connection: Connection) -> None:
            if sqlite:
                _save_sqlite(connection, latest.values(), history)
            else:
                connection.execute(self._upsert(device_states, ("home_id", "device_id")), list(latest.values()))
                connection.execute(sa.insert(state_history), history)
            self._prune_history(connection, home_id, newest)

        await self._write(write)

    def _prune_history(self, connection: Connection, home_id: str, now: float) -> None:
        """At most once an hour of the home's own time (its changes' `at`, so a test clock works too),
        delete its history older than the retention."""
        if self._history_days is None or now - self._pruned.get(home_id, float("-inf")) < PRUNE_EVERY_S:
            return
        self._pruned[home_id] = now
        cutoff = now - self._history_days * 86_400
        connection.execute(
            sa.delete(state_history).where(state_history.c.home_id == home_id, state_history.c.at < cutoff)
        )

    async def history(
        self, home_id: str, device_id: str | None = None, since: float | None = None, limit: int = 1000
    ) -> list[HistoryEntry]:
        """The latest `limit` changes at or after `since` (of one device, if given), oldest first."""
        if limit <= 0:
            return []
        table = state_history
        query = sa.select(table.c.device_id, table.c.at, table.c.old, table.c.new, table.c.cause).where(
            table.c.home_id == home_id
        )
        if device_id is not None:
            query = query.where(table.c.device_id == device_id)
        if since is not None:
            query = query.where(table.c.at >= since)
        query = query.order_by(table.c.at.desc(), table.c.id.desc()).limit(limit)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [HistoryEntry(r.device_id, r.at, dict(r.old), dict(r.new), r.cause) for r in reversed(rows)]

    async def save_job(self, home_id: str, job: PendingJob) -> None:
        """Keep `job`, replacing a job of the home with the same id."""
        row = {
            "home_id": home_id, "id": job.id, "kind": job.kind, "due": job.due, "command": dict(job.command),
            "repeat": job.repeat, "repeat_at": job.at, "name": job.name, "created": job.created,
            "meta": dict(job.meta),
        }  # fmt: skip
        await self._execute(self._upsert(pending_jobs, ("home_id", "id")), [row])

    async def delete_job(self, home_id: str, job_id: str) -> None:
        """Forget the job; nothing happens if there is none."""
        query = sa.delete(pending_jobs).where(pending_jobs.c.home_id == home_id, pending_jobs.c.id == job_id)
        await self._execute(query)

    async def load_jobs(self, home_id: str) -> list[PendingJob]:
        """The home's pending jobs, soonest due first."""
        t = pending_jobs
        query = sa.select(t).where(t.c.home_id == home_id).order_by(t.c.due, t.c.id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [job_from_row(r) for r in rows]

    async def add_list_item(self, home_id: str, list_name: str, item: str) -> None:
        """Put `item` at the end of the list; an item already on the list stays where it is."""
        row = {"home_id": home_id, "list_name": list_name, "item": item}
        await self._execute(self._insert_new(list_items, ("home_id", "list_name", "item")), [row])

    async def list_items(self, home_id: str, list_name: str) -> list[str]:
        """The items of the list in the order they were added."""
        t = list_items
        query = sa.select(t.c.item).where(t.c.home_id == home_id, t.c.list_name == list_name).order_by(t.c.id)
        async with self._engine.connect() as connection:
            return list((await connection.execute(query)).scalars())

    async def remove_list_item(self, home_id: str, list_name: str, item: str) -> bool:
        """Take `item` off the list; True if it was on it."""
        t = list_items
        query = sa.delete(t).where(t.c.home_id == home_id, t.c.list_name == list_name, t.c.item == item)
        return await self._execute(query) > 0


_SQLITE_UPSERT = (
    "INSERT INTO device_states (home_id, device_id, state, updated) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (home_id, device_id) DO UPDATE SET state = excluded.state, updated = excluded.updated"
)
_SQLITE_HISTORY = "INSERT INTO state_history (home_id, device_id, at, old, new, cause) VALUES (?, ?, ?, ?, ?, ?)"


def _save_sqlite(connection: Connection, latest: Iterable[dict[str, Any]], history: Sequence[dict[str, Any]]) -> None:
    """The same rows as the portable path, written with the driver's executemany: under a flood of
    state reports the per-row cost of building SQLAlchemy parameters was most of the hub's CPU."""
    connection.exec_driver_sql(_SQLITE_UPSERT, [
        (r["home_id"], r["device_id"], _json(r["state"]), r["updated"]) for r in latest
    ])  # fmt: skip
    connection.exec_driver_sql(_SQLITE_HISTORY, [
        (r["home_id"], r["device_id"], r["at"], _json(r["old"]), _json(r["new"]),
         None if r["cause"] is None else _json(r["cause"])) for r in history
    ])  # fmt: skip


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # as the engine writes JSON


def job_from_row(r: Any) -> PendingJob:
    """A `pending_jobs` row as the job it keeps."""
    return PendingJob(
        id=r.id, kind=r.kind, due=r.due, command=dict(r.command), repeat=r.repeat, at=r.repeat_at, name=r.name,
        created=r.created, meta=dict(r.meta),
    )  # fmt: skip
