"""The leases kept on an event loop of their own, in a thread of their own, with a NATS connection of
their own: a worker busy opening thousands of homes (or starved of CPU by its neighbours) still renews
its leases on time, as Kafka's clients send their heartbeats apart from their processing. A worker that
stops altogether (killed, or paused) stops renewing too, and its leases expire. Starting and stopping a
shard run on the worker's own loop; the lease thread waits for them."""

from __future__ import annotations

import asyncio
import threading

import nats

from jibsa.provider.leases import Change, Leases


class LeaseThread:
    def __init__(
        self,
        nats_url: str,
        bucket: str,
        worker: str,
        shards: int,
        ttl: float,
        *,
        gained: Change,
        lost: Change,
    ) -> None:
        self._nats_url = nats_url
        self._bucket = bucket
        self._worker = worker
        self._shards = shards
        self._ttl = ttl
        self._gained = gained
        self._lost = lost
        self._main: asyncio.AbstractEventLoop | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"leases:{worker}", daemon=True)
        self.leases: Leases | None = None

    async def start(self) -> None:
        """Start the thread; returns once it is connected and its first round can run."""
        self._main = asyncio.get_running_loop()
        self._thread.start()
        await asyncio.to_thread(self._ready.wait)
        if self._failed is not None:
            raise self._failed

    def serving(self, shard: int) -> bool:
        """Whether this worker may serve `shard` now: its lease is held and was renewed recently."""
        return self.leases is not None and self.leases.serving(shard)

    @property
    def late_renewals(self) -> int:
        return self.leases.late if self.leases is not None else 0

    async def stop(self, *, release: bool) -> None:
        """Stop renewing; with `release`, hand every shard back first (each stops on the worker's loop)."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._release = release
            self._loop.call_soon_threadsafe(self._stop.set)
            await asyncio.to_thread(self._thread.join)

    def _run(self) -> None:
        try:
            asyncio.run(self._keep())
        except BaseException as error:  # told to start(), which raises it in the worker
            self._failed = error
            self._ready.set()

    async def _keep(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._release = False
        connection = await nats.connect(self._nats_url, name=f"{self._worker}-leases", max_reconnect_attempts=-1)
        try:
            kv = await connection.jetstream().key_value(self._bucket)
            self.leases = Leases(
                kv, self._worker, self._shards, self._ttl,
                gained=self._on_main(self._gained), lost=self._on_main(self._lost),
            )  # fmt: skip
            self._ready.set()
            rounds = asyncio.ensure_future(self.leases.run())
            await self._stop.wait()
            rounds.cancel()
            await asyncio.gather(rounds, return_exceptions=True)
            if self._release:
                await self.leases.release_all()
            else:
                await self.leases.settled()
        finally:
            await connection.close()

    def _on_main(self, change: Change) -> Change:
        async def on_main(shard: int) -> None:
            assert self._main is not None
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(change(shard), self._main))

        return on_main
