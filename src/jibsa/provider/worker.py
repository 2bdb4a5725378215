"""A worker: leases shards, hosts their homes (a `Cell`), answers their requests and publishes their events.

Requests reach a worker two ways, for the shards it leases:
- live, as NATS requests on `jibsa.<shard>.*.cmd` (a gateway waits for the reply);
- from the JetStream stream that keeps every request (`jibsa.*.*.cmd`, one durable consumer per shard):
  a request no worker answered (its worker died, or none held the shard) is replayed to the next owner.
The same request usually arrives both ways; `replies.Replies` makes the second a no-op: a request that
changes a home is claimed before it is applied and answered from its stored reply ever after. A stream
message is acknowledged only once its request is answered (or refused)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, KeyValueConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from jibsa.hub import SystemClock
from jibsa.provider.cell import Cell, answer
from jibsa.provider.homes import HomeFiles, HomeSource, NoSuchHome
from jibsa.provider.leases import Leases
from jibsa.provider.metrics import WorkerMetrics, serve_metrics
from jibsa.provider.replies import INTERRUPTED, Replies
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import PREFIX, BadHomeId, event_subject, home_of_subject, shard_commands, shard_of
from jibsa.provider.wire import BadRequest, Reply, Request
from jibsa.storage import SqlStore, open_store
from jibsa.storage.engine import create_engine, database_url

log = logging.getLogger(__name__)

STREAM = "JIBSA_COMMANDS"
LEASES = "jibsa_leases"
_CHANGING = frozenset({"say", "command"})
_REMEMBERED = 100_000  # replies kept in memory, so the stream's copy of a live request costs no query
_STREAM_MAX_AGE_S = 24 * 3600.0
_REPLIES_KEPT_S = 2 * _STREAM_MAX_AGE_S


@dataclass
class _Shard:
    live: Subscription
    replay: asyncio.Task[None]


class Worker:
    def __init__(self, settings: ProviderSettings, source: HomeSource | None = None) -> None:
        self.settings = settings
        self.name = settings.worker_name
        self.metrics = WorkerMetrics(self.name)
        self._source = source or HomeFiles(settings.homes_dir or None, settings.home_template or None)
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None
        self._store: SqlStore | None = None
        self._replies: Replies | None = None
        self._cell: Cell | None = None
        self._leases: Leases | None = None
        self._shards: dict[int, _Shard] = {}
        self._remembered: OrderedDict[tuple[str, str], Reply] = OrderedDict()
        self._background: set[asyncio.Task[Any]] = set()

    @property
    def cell(self) -> Cell:
        assert self._cell is not None, "the worker is not started"
        return self._cell

    @property
    def shards(self) -> list[int]:
        return sorted(self._shards)

    async def start(self) -> None:
        settings = self.settings
        self._store = await open_store(settings.database_url)
        self._replies = Replies(create_engine(database_url(settings.database_url)))
        await self._replies.create_table()
        await self._replies.forget_before(time.time() - _REPLIES_KEPT_S)
        self._cell = Cell(
            self._store,
            self._source,
            SystemClock(),
            command_timeout=settings.command_timeout_s,
            on_event=self._publish_event,
        )
        self._nc = await nats.connect(settings.nats_url, name=self.name, max_reconnect_attempts=-1)
        self._js = self._nc.jetstream()
        await self._ensure_stream()
        kv = await self._js.create_key_value(
            KeyValueConfig(bucket=LEASES, ttl=settings.lease_ttl_s, storage=StorageType.FILE)
        )
        self._leases = Leases(
            kv, self.name, settings.shards, settings.lease_ttl_s, gained=self._take_shard, lost=self._drop_shard
        )
        self._spawn(self._leases.run())

    async def stop(self) -> None:
        """Hand every shard back (their homes stop first), then close NATS and the store."""
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._leases is not None and self._nc is not None and self._nc.is_connected:
            with contextlib.suppress(Exception):
                await self._leases.release_all()
        for shard in list(self._shards):
            await self._drop_shard(shard)
        if self._cell is not None:
            await self._cell.close_all()
        if self._nc is not None:
            await self._nc.drain()
        if self._replies is not None:
            await self._replies.close()
        if self._store is not None:
            await self._store.close()

    def health(self) -> Mapping[str, Any]:
        connected = self._nc is not None and self._nc.is_connected
        return {
            "ok": connected,
            "worker": self.name,
            "nats": connected,
            "shards": self.shards,
            "homes": len(self._cell.homes) if self._cell else 0,
        }

    async def serve_metrics(self) -> Any:
        return await serve_metrics(self.settings.metrics_bind, self.metrics, self.health)

    # -- shards ---------------------------------------------------------------------------------

    async def _ensure_stream(self) -> None:
        assert self._js is not None
        config = StreamConfig(
            name=STREAM,
            subjects=[f"{PREFIX}.*.*.cmd"],
            retention=RetentionPolicy.WORK_QUEUE,  # a request is gone once a worker acknowledged it
            no_ack=True,  # else the stream would answer a gateway's request before the worker does
            max_age=_STREAM_MAX_AGE_S,
            storage=StorageType.FILE,
        )
        try:
            await self._js.stream_info(STREAM)
        except NotFoundError:
            await self._js.add_stream(config)

    async def _take_shard(self, shard: int) -> None:
        assert self._nc is not None and self._js is not None and self._replies is not None
        live = await self._nc.subscribe(shard_commands(shard), cb=self._on_live)
        consumer = await self._js.pull_subscribe(
            shard_commands(shard),
            durable=f"shard-{shard}",
            stream=STREAM,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=max(2.0, self.settings.lease_ttl_s / 2)),
        )
        self._shards[shard] = _Shard(live, self._spawn(self._replay(shard, consumer)))
        self.metrics.lease_changed()
        self.metrics.set_shards(len(self._shards))
        self._spawn(self._open_working_homes(shard))

    async def _drop_shard(self, shard: int) -> None:
        taken = self._shards.pop(shard, None)
        if taken is None:
            return
        with contextlib.suppress(Exception):
            await taken.live.unsubscribe()
        taken.replay.cancel()
        await asyncio.gather(taken.replay, return_exceptions=True)
        homes = [h for h in self.cell.home_ids() if shard_of(h, self.settings.shards) == shard]
        await asyncio.gather(*(self.cell.close(h) for h in homes))
        self.metrics.lease_changed()
        self.metrics.set_shards(len(self._shards))
        self.metrics.set_homes(len(self.cell.homes))

    async def _replay(self, shard: int, consumer: JetStreamContext.PullSubscription) -> None:
        try:
            while True:
                try:
                    messages = await consumer.fetch(64, timeout=1.0)
                except NatsTimeout:
                    continue
                for message in messages:
                    await self._serve(message.subject, message.data, None)
                    await message.ack()
        finally:
            with contextlib.suppress(Exception):
                await consumer.unsubscribe()

    async def _open_working_homes(self, shard: int) -> None:
        """Homes with timers or rules run without being asked: open them now."""
        assert self._replies is not None
        for home_id in await self._replies.homes_with_work(lambda h: _in_shard(h, shard, self.settings.shards)):
            if shard in self._shards:
                await self._open_quietly(home_id)

    async def _open_quietly(self, home_id: str) -> None:
        try:
            await self.cell.home(home_id)
        except Exception:
            log.exception("home %s could not be opened", home_id)
        self.metrics.set_homes(len(self.cell.homes))

    # -- requests -------------------------------------------------------------------------------

    async def _on_live(self, message: Msg) -> None:
        self._spawn(self._serve(message.subject, message.data, message.reply or None))

    async def _serve(self, subject: str, data: bytes, reply_to: str | None) -> None:
        started = time.perf_counter()
        kind = "bad"
        try:
            request = Request.from_bytes(data)
            kind = request.kind
            if home_of_subject(subject) != request.home:
                raise BadRequest(f"request for home {request.home!r} sent on {subject!r}")
            reply = await self._answer(request, replayed=reply_to is None)
        except (BadRequest, BadHomeId) as error:
            reply = Reply(False, code="bad_request", message=str(error))
        except Exception:
            log.exception("request on %s failed", subject)
            reply = Reply(False, code="internal", message="the worker could not carry this out")
        if reply_to is not None and self._nc is not None:
            await self._nc.publish(reply_to, reply.to_bytes())
            self.metrics.answered(kind, reply.ok, time.perf_counter() - started)

    async def _answer(self, request: Request, *, replayed: bool) -> Reply:
        assert self._replies is not None
        key = (request.home, request.id)
        if request.kind in _CHANGING and (kept := self._remembered.get(key)) is not None:
            if not replayed:
                self.metrics.duplicate()
            return kept
        try:
            home = await self.cell.home(request.home)
        except NoSuchHome:
            return Reply(False, code="not_found", message=f"no home {request.home!r}")
        finally:
            self.metrics.set_homes(len(self.cell.homes))
        if request.kind not in _CHANGING:
            return await answer(home, request)
        async with home.lock:
            if (kept := self._remembered.get(key)) is not None:
                return kept
            claimed = await self._replies.claim(request.home, request.id)
            if claimed is not None:
                self.metrics.duplicate()
                reply = claimed.reply or INTERRUPTED
            else:
                if replayed:
                    self.metrics.replay()
                reply = await answer(home, request)
                await self._replies.answered(request.home, request.id, reply)
            self._remember(key, reply)
        return reply

    def _remember(self, key: tuple[str, str], reply: Reply) -> None:
        self._remembered[key] = reply
        while len(self._remembered) > _REMEMBERED:
            self._remembered.popitem(last=False)

    # -- events ---------------------------------------------------------------------------------

    def _publish_event(self, home_id: str, event: Any) -> None:
        """Every public event of a home, with who may see it, on the home's `.evt` subject."""
        to_json = getattr(event, "to_json", None)
        audience = getattr(event, "audience", None)
        if to_json is None or audience is None or self._nc is None or not self._nc.is_connected:
            return
        document = {"audience": {"person": audience.person, "owners": audience.owners}, "event": to_json()}
        payload = json.dumps(document, ensure_ascii=False, default=str).encode()
        self._spawn(self._nc.publish(event_subject(home_id), payload))

    def _spawn(self, work: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task


def _in_shard(home_id: str, shard: int, shards: int) -> bool:
    try:
        return shard_of(home_id, shards) == shard
    except BadHomeId:
        return False


async def run_worker(settings: ProviderSettings, stop: asyncio.Event) -> None:
    """Start a worker (and its metrics endpoint, if bound), run until `stop` is set, then stop it."""
    worker = Worker(settings)
    await worker.start()
    runner = await worker.serve_metrics() if settings.metrics_bind else None
    print(f"jibsa provider worker {worker.name}: serving", flush=True)
    try:
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await worker.stop()
