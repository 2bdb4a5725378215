"""Which worker serves which shard: leases in a NATS KV bucket whose entries live `ttl` seconds.

Every worker puts `worker.<name>` each round (its heartbeat) and reads who else is alive. Each shard has
one preferred worker among the live ones (rendezvous hashing: the highest CRC-32 of worker and shard),
so live workers agree on a balance without talking, and a new worker gets its share. A worker:
- renews the shards it holds (`shard.<n>`, an update against the revision it holds: it fails if anyone
  else took the key, or it expired) and stops serving a shard whose renewal fails, or whose lease expired
  while NATS could not be reached; it then hands the key back if it is still its own, so that the next
  owner need not wait for it to expire. A renewal that is late but succeeds keeps the shard: nobody else
  can have held it meanwhile, and moving it would cost two moves (away and back) for nothing;
- releases a shard it holds that another live worker is preferred for (it stops serving first), once that
  worker has been seen alive for `ttl`: a worker that was slow for a moment (its heartbeat expired, its
  shards taken over) gets them back only once it keeps up, not back and forth with every late round;
- creates the key of a shard it is preferred for; creation fails while another holds it.
A worker that dies stops renewing: its heartbeat and its shards' keys expire after `ttl`, and the
survivors take its shards on their next round.

A lease counts from when its renewal was sent (the server stores it then or later, so it lives at least
`ttl` from then); requests of its shard are served while it is younger than `ttl` × 0.75 (`serving`, the
rest a margin), and refused as "try again" while a late renewal is under way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zlib
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError, NoKeysError
from nats.js.kv import KeyValue

log = logging.getLogger(__name__)

Change = Callable[[int], Coroutine[Any, Any, None]]
_SERVE_FOR = 0.75  # of the TTL, from a renewal's sending: the rest is the margin before another may take it


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
        self._held: dict[int, tuple[int, float]] = {}  # shard -> (revision, when its renewal was sent)
        self._seen: dict[str, float] = {}  # live worker -> since when it has been seen alive
        self.changes = 0  # shards gained or lost, since start
        self.late = 0  # renewals sent after the lease stopped `serving` (each kept the shard if it succeeded)
        self.round_s = max(0.5, ttl / 6)
        self._locks: dict[int, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def shards(self) -> list[int]:
        return sorted(self._held)

    def serving(self, shard: int) -> bool:
        """Whether `shard`'s lease is ours and young enough to serve it (safe to ask from another thread)."""
        held = self._held.get(shard)
        return held is not None and self._clock() - held[1] < self._ttl * _SERVE_FOR

    async def run(self) -> None:
        """Rounds until cancelled; a round that fails (NATS away) is logged, and the next one tries again."""
        while True:
            try:
                async with asyncio.timeout(self._ttl * _SERVE_FOR):  # a round stuck on NATS is a failed one
                    await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lease round failed")
                self._fence()
            await asyncio.sleep(self.round_s)

    async def round(self) -> None:
        await self._kv.put(f"worker.{self.worker}", b"")
        workers = await self._live_workers()
        now = self._clock()
        self._seen = {w: self._seen.get(w, now) for w in workers}
        steady = [w for w in workers if w == self.worker or now - self._seen[w] >= self._ttl]
        preferred = {shard: preferred_worker(shard, workers) for shard in range(self._shards)}
        keep = {shard: preferred_worker(shard, steady) for shard in range(self._shards)}
        held = [s for s in range(self._shards) if s in self._held]
        for shard in held:
            if keep[shard] != self.worker:
                self._spawn(self.release(shard))
        await asyncio.gather(*(self._renew(s) for s in held if keep[s] == self.worker))
        free = [s for s in range(self._shards) if s not in self._held and preferred[s] == self.worker]
        await asyncio.gather(*(self._take(s) for s in free))

    async def release(self, shard: int) -> None:
        """Stop serving `shard`, then hand its lease back."""
        revision, _ = self._held.pop(shard)
        self.changes += 1
        async with self._lock(shard):
            await self._lost(shard)
        # It may have expired or been taken already: then nothing of ours is left to hand back.
        with contextlib.suppress(KeyWrongLastSequenceError, KeyNotFoundError, BadRequestError):
            await self._kv.delete(f"shard.{shard}", last=revision)

    async def release_all(self) -> None:
        await self.settled()
        await asyncio.gather(*(self.release(s) for s in list(self._held)))
        with contextlib.suppress(KeyNotFoundError):
            await self._kv.delete(f"worker.{self.worker}")

    async def _live_workers(self) -> list[str]:
        try:
            keys = await self._kv.keys()
        except NoKeysError:
            keys = []
        return sorted(k.removeprefix("worker.") for k in keys if k.startswith("worker.")) or [self.worker]

    async def _renew(self, shard: int) -> None:
        """A renewal that succeeds keeps the shard however late it is: the update names the revision we hold,
        so no one else held the key meanwhile (`serving` said no while it was late)."""
        revision, renewed = self._held[shard]
        sent = self._clock()
        if not self.serving(shard):
            self.late += 1
        try:
            revision = await self._kv.update(f"shard.{shard}", self.worker.encode(), last=revision)
        except (KeyNotFoundError, BadRequestError) as error:
            if not _taken(error):
                raise
            self._drop(shard, "taken or expired")
            return
        if self._held.get(shard, (0, 0.0))[1] == renewed:  # not dropped meanwhile (a fence)
            self._held[shard] = (revision, sent)

    async def _take(self, shard: int) -> None:
        sent = self._clock()
        try:
            revision = await self._kv.create(f"shard.{shard}", self.worker.encode())
        except BadRequestError as error:
            if not _taken(error):
                raise
            return  # another worker holds it still; it releases it, or its lease expires
        self._held[shard] = (revision, sent)
        self.changes += 1
        log.info("%s took shard %d", self.worker, shard)
        self._spawn(self._in_order(shard, self._gained))

    def _drop(self, shard: int, why: str) -> None:
        """Stop serving a shard whose lease may be gone, then hand the key back if it is still ours."""
        held = self._held.pop(shard, None)
        if held is None:
            return
        log.warning("%s lost shard %d: %s", self.worker, shard, why)
        self.changes += 1
        self._spawn(self._stop_serving(shard, held[0]))

    async def _stop_serving(self, shard: int, revision: int) -> None:
        await self._in_order(shard, self._lost)
        with contextlib.suppress(KeyWrongLastSequenceError, KeyNotFoundError, BadRequestError):
            await self._kv.delete(f"shard.{shard}", last=revision)

    def _lock(self, shard: int) -> asyncio.Lock:
        return self._locks.setdefault(shard, asyncio.Lock())

    async def _in_order(self, shard: int, change: Change) -> None:
        """Starting and stopping a shard take time (NATS consumers, homes): they run beside the rounds,
        so renewals are never late for them, and one at a time per shard, in the order they were decided."""
        async with self._lock(shard):
            try:
                await change(shard)
            except Exception:
                log.exception("shard %d: %s failed", shard, getattr(change, "__name__", "change"))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settled(self) -> None:
        """Wait for the shard starts and stops under way."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _fence(self) -> None:
        """After a failed round (NATS away or too slow): stop serving the shards whose lease has expired."""
        for shard, (_, renewed) in list(self._held.items()):
            if self._clock() - renewed >= self._ttl:
                self._drop(shard, "not renewed in time")


def _taken(error: Exception) -> bool:
    """The key moved on from the revision we held (JetStream's "wrong last sequence", 10071), or is gone."""
    return isinstance(error, (KeyWrongLastSequenceError, KeyNotFoundError)) or getattr(error, "err_code", 0) == 10071
