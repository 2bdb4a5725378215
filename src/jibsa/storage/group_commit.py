"""Group commit: writes that arrive while one transaction is running go together into the next.

Every caller still returns only once its own row is committed, so durability is unchanged; what
changes is that eight requests at once cost two transactions, not eight in a row (each COMMIT on
SQLite is a turn of the one write lock and several hops to the driver's thread).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")


class GroupCommit(Generic[Item]):
    """Batches items for `write(items)`, one call at a time."""

    def __init__(self, write: Callable[[Sequence[Item]], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[Item, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, item: Item) -> None:
        """Return once `item` is written; raise what writing its batch raised."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        if self._writer is None or self._writer.done():
            # A task of its own: a caller that is cancelled must not strand the others of its batch.
            self._writer = asyncio.create_task(self._write_all(), name="group-commit")
        await asyncio.shield(done)

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._write([item for item, _ in batch])
            except Exception as error:  # each caller of the batch hears of it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
