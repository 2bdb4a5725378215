"""What opening a home reads from PostgreSQL — its device states, adopted devices, pending jobs and rules —
read for many homes at once: one query per table for a batch of homes (the homes waiting to open when a
shard is taken, or when many are asked for together), instead of six round trips per home.

`PrefetchingStore` is the worker's store with these batched reads in front: a home's reads are answered
from its batch until the home has started (`forget`), then from the database as before. Only homes that
are opening are read ahead: nothing else writes their rows while they open (their shard is leased here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from jibsa.hub.adoption import ADOPTED_LIST
from jibsa.hub.store import PendingJob
from jibsa.provider.journal import JournalStore
from jibsa.rules.store import StoredRule
from jibsa.storage.home_state import job_from_row
from jibsa.storage.schema import device_states, list_items, pending_jobs, rules


@dataclass
class _Reads:
    """One home's rows, as the store's own reads return them."""

    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    adopted: list[str] = field(default_factory=list)
    jobs: list[PendingJob] = field(default_factory=list)
    rules: list[StoredRule] = field(default_factory=list)


class PrefetchingStore(JournalStore):
    """`JournalStore`, whose reads of an opening home come from its batch (`prefetch`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read: dict[str, _Reads] = {}

    def prefetched(self, home_id: str) -> bool:
        return home_id in self._read

    def forget(self, home_id: str) -> None:
        """The home has started (or failed to): its next reads go to the database."""
        self._read.pop(home_id, None)

    async def prefetch(self, home_ids: Iterable[str]) -> None:
        """Read the rows of every home in `home_ids` that opening needs, one query per table."""
        ids = sorted(set(home_ids))
        if not ids:
            return
        reads = {home_id: _Reads() for home_id in ids}
        async with self._engine.connect() as connection:
            states = sa.select(device_states.c.home_id, device_states.c.device_id, device_states.c.state)
            for row in await connection.execute(states.where(device_states.c.home_id.in_(ids))):
                reads[row.home_id].states[row.device_id] = dict(row.state)
            adopted = sa.select(list_items.c.home_id, list_items.c.item).where(
                list_items.c.home_id.in_(ids), list_items.c.list_name == ADOPTED_LIST
            )
            for item in await connection.execute(adopted.order_by(list_items.c.id)):
                reads[item.home_id].adopted.append(item.item)
            jobs = sa.select(pending_jobs).where(pending_jobs.c.home_id.in_(ids))
            for r in await connection.execute(jobs.order_by(pending_jobs.c.due, pending_jobs.c.id)):
                reads[r.home_id].jobs.append(job_from_row(r))
            kept = sa.select(rules).where(rules.c.home_id.in_(ids)).order_by(rules.c.id)
            for rule in await connection.execute(kept):
                reads[rule.home_id].rules.append(StoredRule(rule.id, dict(rule.data), rule.last_fired))
        self._read.update(reads)

    async def load_states(self, home_id: str) -> dict[str, dict[str, Any]]:
        read = self._read.get(home_id)
        if read is None:
            return await super().load_states(home_id)
        return {device_id: dict(state) for device_id, state in read.states.items()}

    async def list_items(self, home_id: str, list_name: str) -> list[str]:
        read = self._read.get(home_id)
        if read is None or list_name != ADOPTED_LIST:
            return await super().list_items(home_id, list_name)
        return list(read.adopted)

    async def load_jobs(self, home_id: str) -> list[PendingJob]:
        read = self._read.get(home_id)
        return list(read.jobs) if read is not None else await super().load_jobs(home_id)

    async def load_rules(self, home_id: str) -> list[StoredRule]:
        read = self._read.get(home_id)
        return list(read.rules) if read is not None else await super().load_rules(home_id)
