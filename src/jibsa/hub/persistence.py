"""Writing state changes to the store in batches, with a way to wait until they are durable.

The hub acknowledges a command only after `flush()` returns, so an acknowledged change survives a
killed process; changes reported on their own (a sensor drifting) are written within one batch.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from jibsa.domain import StateChanged
from jibsa.hub.store import HubStore

log = logging.getLogger(__name__)


class StateWriter:
    def __init__(self, store: HubStore, home_id: str, batch_size: int = 500) -> None:
        self._store = store
        self._home_id = home_id
        self._batch_size = batch_size
        self._pending: dict[str, tuple[dict[str, Any], dict[str, Any], float]] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self.failures = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"state-writer:{self._home_id}")

    async def stop(self) -> None:
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def enqueue(self, event: StateChanged) -> None:
        previous = self._pending.get(event.device_id)
        old = previous[0] if previous else dict(event.old)
        self._pending[event.device_id] = (old, dict(event.new), event.at)
        self._idle.clear()
        self._wake.set()

    async def flush(self) -> None:
        """Return once every change enqueued so far is in the store."""
        if self._task is None:
            await self._write_pending()
            return
        await self._idle.wait()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._write_pending()

    async def _write_pending(self) -> None:
        while self._pending:
            batch = dict(list(self._pending.items())[: self._batch_size])
            for device_id in batch:
                del self._pending[device_id]
            try:
                await self._store.save_states(
                    self._home_id, [(device_id, old, new, at) for device_id, (old, new, at) in batch.items()]
                )
            except Exception:
                # Keep the changes and try again: losing an acknowledged change is worse than a retry.
                self.failures += 1
                log.exception("could not save %d state changes; retrying", len(batch))
                for device_id, change in batch.items():
                    self._pending.setdefault(device_id, change)
                await asyncio.sleep(min(5.0, 0.1 * self.failures))
                continue
            self.failures = 0
        self._idle.set()
