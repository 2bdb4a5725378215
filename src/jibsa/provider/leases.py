"""Which worker serves which shard: leases in a NATS KV bucket whose entries live `ttl` seconds.

Every worker puts `worker.<name>` each round (its heartbeat) and reads who else is alive. Each shard has
one preferred worker among the live ones (rendezvous hashing: the highest CRC-32 of worker and shard),
so live workers agree on a balance without talking, and a new worker gets its share. A worker:
- renews the shards it holds (`shard.<n>`, an update against the revision it holds: it fails if anyone
  else took the key) and stops serving a shard whose renewal fails or is late (its lease may be gone);
- releases a shard it holds that another live worker is preferred for (it stops serving first);
- creates the key of a shard it is preferred for; creation fails while another holds it.
A worker that dies stops renewing: its heartbeat and its shards' keys expire after `ttl`, and the
survivors take its shards on their next round."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable

from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError, NoKeysError
from nats.js.kv import KeyValue

log = logging.getLogger(__name__)

Change = Callable[[int], Awaitable[None]]


def preferred_worker(shard: int, workers: Iterable[str]) -> str | None:
    """The live worker a shard belongs with (None: no worker alive)."""
    return max(workers, key=lambda w: (zlib.crc32(f"{w}/{shard}".encode()), w), default=None)


class Leases:
    def __init__(
        self,
        kv: KeyValue,
        worker: str,
        shards: int,
        ttl: float,
        *,
        gained: Change,
        lost: Change,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._kv = kv
        self.worker = worker
        self._shards = shards
        self._ttl = ttl
        self._gained = gained
        self._lost = lost
        self._clock = clock
        self._held: dict[int, tuple[int, float]] = {}  # shard -> (revision, when renewed)
        self.changes = 0  # shards gained or lost, since start
        self.round_s = max(0.25, ttl / 6)

    @property
    def shards(self) -> list[int]:
        return sorted(self._held)

    async def run(self) -> None:
        """Rounds until cancelled; a round that fails (NATS away) is logged, and the next one tries again."""
        while True:
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lease round failed")
                await self._fence()
            await asyncio.sleep(self.round_s)

    async def round(self) -> None:
        await self._kv.put(f"worker.{self.worker}", b"")
        workers = await self._live_workers()
        for shard in range(self._shards):
            preferred = preferred_worker(shard, workers)
            if shard in self._held:
                if preferred != self.worker:
                    await self.release(shard)
                else:
                    await self._renew(shard)
            elif preferred == self.worker:
                await self._take(shard)

    async def release(self, shard: int) -> None:
        """Stop serving `shard`, then hand its lease back."""
        revision, _ = self._held.pop(shard)
        await self._lost(shard)
        self.changes += 1
        # It may have expired or been taken already: then nothing of ours is left to hand back.
        with contextlib.suppress(KeyWrongLastSequenceError, KeyNotFoundError):
            await self._kv.delete(f"shard.{shard}", last=revision)

    async def release_all(self) -> None:
        for shard in list(self._held):
            await self.release(shard)
        with contextlib.suppress(KeyNotFoundError):
            await self._kv.delete(f"worker.{self.worker}")

    async def _live_workers(self) -> list[str]:
        try:
            keys = await self._kv.keys()
        except NoKeysError:
            keys = []
        return sorted(k.removeprefix("worker.") for k in keys if k.startswith("worker.")) or [self.worker]

    async def _renew(self, shard: int) -> None:
        revision, renewed = self._held[shard]
        if self._clock() - renewed > self._ttl * 0.75:
            await self._drop(shard, "renewed too late")
            return
        try:
            revision = await self._kv.update(f"shard.{shard}", self.worker.encode(), last=revision)
        except (KeyWrongLastSequenceError, KeyNotFoundError):
            await self._drop(shard, "taken or expired")
            return
        self._held[shard] = (revision, self._clock())

    async def _take(self, shard: int) -> None:
        try:
            revision = await self._kv.create(f"shard.{shard}", self.worker.encode())
        except KeyWrongLastSequenceError:
            return  # another worker holds it still; it releases it, or its lease expires
        self._held[shard] = (revision, self._clock())
        self.changes += 1
        log.info("%s took shard %d", self.worker, shard)
        await self._gained(shard)

    async def _drop(self, shard: int, why: str) -> None:
        log.warning("%s lost shard %d: %s", self.worker, shard, why)
        self._held.pop(shard, None)
        self.changes += 1
        await self._lost(shard)

    async def _fence(self) -> None:
        """After a failed round: stop serving the shards whose lease may have expired meanwhile."""
        for shard, (_, renewed) in list(self._held.items()):
            if self._clock() - renewed > self._ttl * 0.75:
                await self._drop(shard, "not renewed in time")
