"""SQLite's writes on one thread of their own, a whole transaction per hop.

Through the async driver (aiosqlite) every statement of a transaction — BEGIN, each INSERT, COMMIT,
the pool's reset — is a trip to the driver's thread and a wake-up of the event loop: 1.8 ms of CPU
for a state change of one device, measured on the 2-core development machine, most of a conversation
request's cost. Here the transaction is one synchronous function run on the writer thread: 0.4 ms for
the same rows, the same COMMIT, the same durability.

The thread is also what makes the process's writers take turns: SQLite lets one write at a time, and a
writer refused the lock waits in its busy handler in steps of up to 100 ms. Other processes writing the
same file still meet that handler (`busy_timeout`), as before.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import URL, Connection

from jibsa.storage.engine import create_sqlite_writer_engine

Result = TypeVar("Result")


class SqliteWriter:
    """Runs `work(connection)` in a transaction on the writer thread, committed before `run` returns."""

    def __init__(self, url: URL) -> None:
        self._engine = create_sqlite_writer_engine(url)
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

    async def run(self, work: Callable[[Connection], Result]) -> Result:
        """The result of `work`, once its transaction is committed; what it raised, once rolled back.
        A caller cancelled meanwhile does not undo the write: it commits all the same."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._transaction, work)

    def _transaction(self, work: Callable[[Connection], Result]) -> Result:
        with self._engine.begin() as connection:
            return work(connection)

    async def close(self) -> None:
        """Wait for the writes under way, then close the connection (on its own thread). Idempotent."""
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._thread, self._engine.dispose)
        except RuntimeError:  # closed before
            return
        self._thread.shutdown(wait=True)
