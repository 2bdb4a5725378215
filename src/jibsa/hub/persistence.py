"""Writing state changes to the store in batches, with a way to wait until they are durable.

The hub acknowledges a command only after `flush()` returns, so an acknowledged change survives a
killed process. `flush()` waits only for the changes enqueued before it was called, never for a
stream that keeps coming. Changes nobody waits for (a sensor drifting, a flood of reports) linger
a few milliseconds so that many go into one transaction; the newest state of a device wins.

A store that gathers changes itself (a `StateLog`: a provider worker's journal, for all its homes) is
handed each change as it happens, every one with its own history row, and nothing lingers here:
lingering per home would cost a task wake-up per change for what the store batches anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from jibsa.domain import StateChanged
from jibsa.hub.store import HubStore, StateLog

log = logging.getLogger(__name__)
LINGER_S = 0.02


class StateWriter:
    def __init__(self, store: HubStore, home_id: str, batch_size: int = 2000) -> None:
        self._store = store
        self._home_id = home_id
        self._batch_size = batch_size
        self._pending: dict[str, tuple[dict[str, Any], dict[str, Any], float]] = {}
        self._causes: dict[str, Any] = {}  # device -> the cause of its pending change (the latest known)
        self._wake = asyncio.Event()
        self._urgent = asyncio.Event()  # someone waits in flush(): stop lingering
        self._progress = asyncio.Condition()
        self._enqueued = 0  # changes enqueued so far
        self._written = 0  # of those, how many are durable (every change enqueued before is)
        self._waiters = 0
        self._task: asyncio.Task[None] | None = None
        self._log = store if isinstance(store, StateLog) else None
        self.failures = 0

    def start(self) -> None:
        if self._log is not None:
            return  # the store takes each change at once: there is nothing to write later
        self._task = asyncio.create_task(self._run(), name=f"state-writer:{self._home_id}")

    async def stop(self) -> None:
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def enqueue(self, event: StateChanged) -> None:
        if self._log is not None:
            self._log.take_state(self._home_id, event)
            return
        previous = self._pending.get(event.device_id)
        old = previous[0] if previous else dict(event.old)
        self._pending[event.device_id] = (old, dict(event.new), event.at)
        if event.cause is not None:
            self._causes[event.device_id] = event.cause
        self._enqueued += 1
        self._wake.set()

    async def flush(self) -> None:
        """Return once every change enqueued before this call is in the store."""
        target = self._enqueued
        if self._task is None:
            await self._write_pending()
            return
        self._waiters += 1
        self._urgent.set()
        self._wake.set()
        try:
            async with self._progress:
                await self._progress.wait_for(lambda: self._written >= target)
        finally:
            self._waiters -= 1

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._waiters:  # nobody waits: let more changes join this transaction
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LINGER_S):
                        await self._urgent.wait()
            self._urgent.clear()
            await self._write_pending()

    async def _write_pending(self) -> None:
        while self._pending:
            reached = self._enqueued
            complete = len(self._pending) <= self._batch_size  # this batch holds every change up to `reached`
            batch = dict(list(self._pending.items())[: self._batch_size])
            causes = {d: self._causes.pop(d) for d in batch if d in self._causes}
            for device_id in batch:
                del self._pending[device_id]
            try:
                changes = [(device_id, old, new, at) for device_id, (old, new, at) in batch.items()]
                if causes:
                    await self._store.save_states(self._home_id, changes, causes)
                else:  # stores that keep no causes need not know the argument
                    await self._store.save_states(self._home_id, changes)
            except Exception:
                # Keep the changes and try again: losing an acknowledged change is worse than a retry.
                self.failures += 1
                log.exception("could not save %d state changes; retrying", len(batch))
                for device_id, change in batch.items():
                    self._pending.setdefault(device_id, change)
                for device_id, cause in causes.items():
                    self._causes.setdefault(device_id, cause)
                await asyncio.sleep(min(5.0, 0.1 * self.failures))
                continue
            self.failures = 0
            if complete:
                await self._advance(reached)

    async def _advance(self, reached: int) -> None:
        async with self._progress:
            self._written = max(self._written, reached)
            self._progress.notify_all()
