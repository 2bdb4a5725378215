"""A worker: leases shards, hosts their homes (a `Cell`), answers their requests and publishes their events.

Requests reach a worker two ways, for the shards it leases:
- live, as NATS requests on `jibsa.<shard>.*.cmd` (a gateway waits for the reply);
- from the JetStream stream that keeps every request (`jibsa.*.*.cmd`, one durable consumer per shard):
  a request no worker answered (its worker died, or none held the shard) is replayed to the next owner.
The same request usually arrives both ways; `replies.Replies` makes the second a no-op: a request that
changes a home is claimed before it is applied and answered from its stored reply ever after. What a
request changed (states, history, audit) and its reply are written by the worker's `Journal`, many
requests and device events in one transaction, committed before the reply is sent. A stream message is
acknowledged only once its request is answered (or refused).

A replayed request is answered on the inbox its `Jibsa-Reply-To` header names (`wire.reply_inbox`: a reply
inbox, nothing else), where its sender may still wait: a dead worker's requests are answered by the shard's
next owner within the sender's one request. A query is answered so only if it is young and did not reach
this worker live."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
import nats
import nats.errors
import orjson
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, KeyValueConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from jibsa.hub import SystemClock
from jibsa.provider.cell import Cell, CellHome, answer
from jibsa.provider.database import prepare_database
from jibsa.provider.fleet import SUBJECT as SIMULATED_EVENTS
from jibsa.provider.fleet import SimulatedEvents
from jibsa.provider.home_rows import HomeRows
from jibsa.provider.homes import HomeFiles, HomeSource, NoSuchHome
from jibsa.provider.journal import Journal, JournalStore
from jibsa.provider.lease_thread import LeaseThread
from jibsa.provider.metrics import WorkerMetrics, serve_metrics
from jibsa.provider.nats_connection import connect as connect_nats
from jibsa.provider.outages import RETRY_AFTER_S, UNAVAILABLE, database_down
from jibsa.provider.prefetch import PrefetchingStore
from jibsa.provider.replay_progress import kept_in_progress
from jibsa.provider.replies import INTERRUPTED, ClaimBatches, Claimed, Replies, claims_pool, libpq_url
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import (
    PREFIX,
    BadHomeId,
    event_subject,
    home_of_subject,
    shard_commands,
    shard_of,
    shard_watches,
)
from jibsa.provider.wire import BadRequest, Reply, Request, answers, reply_inbox
from jibsa.storage import open_store
from jibsa.storage.engine import database_url

log = logging.getLogger(__name__)

STREAM = "JIBSA_COMMANDS"
LEASES = "jibsa_leases"
_CHANGING = frozenset({"say", "command"})
_REPLAY_BATCH = 64
_REMEMBERED = 100_000  # replies kept in memory, so the stream's copy of a live request costs no query
_REFUSED = 10_000  # live requests answered with a failure: their stream copies are not carried out
_SEEN = 20_000  # requests that came live: their stream copies are not answered again
_STREAM_MAX_AGE_S = 24 * 3600.0
_STOP_WAIT_S = 10.0  # how long a stop waits for a cancelled task
_NOT_NOW = Reply.refusal(UNAVAILABLE, "reply_shard_moving")
_REPLIES_KEPT_S = 2 * _STREAM_MAX_AGE_S
_NOT_CARRIED_OUT = Reply.refusal("refused", "reply_refused")


@dataclass
class _Shard:
    live: Subscription
    watches: Subscription
    replay: asyncio.Task[None]


class Worker:
    def __init__(self, settings: ProviderSettings, source: HomeSource | None = None) -> None:
        self.settings = settings
        self.name = settings.worker_name
        self.metrics = WorkerMetrics(self.name)
        self._source = source
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None
        self._store: JournalStore | None = None
        self._journal: Journal | None = None
        self._claims: asyncpg.Pool | None = None
        self._replies: Replies | None = None
        self._claim_batches: ClaimBatches | None = None
        self._cell: Cell | None = None
        self._leases: LeaseThread | None = None
        self._shards: dict[int, _Shard] = {}
        self._remembered: OrderedDict[tuple[str, str], Reply] = OrderedDict()
        self._refused: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()  # requests that came live
        self._inflight: dict[tuple[str, str], asyncio.Event] = {}  # changing requests being carried out live
        self._background: set[asyncio.Task[Any]] = set()
        self._events: SimulatedEvents | None = None
        self._outgoing: deque[tuple[str, bytes]] = deque()  # events to publish, oldest first
        self._subjects: dict[str, tuple[str, int]] = {}  # home id -> its events' subject and its shard
        self._watched: dict[str, float] = {}  # home id -> until when (monotonic) a WebSocket of it is said open
        self._taken_at: dict[int, float] = {}  # shard -> when it was taken (monotonic)
        self.events_unwatched = 0  # events of homes nobody watched: not published

    @property
    def cell(self) -> Cell:
        assert self._cell is not None, "the worker is not started"
        return self._cell

    @property
    def shards(self) -> list[int]:
        return sorted(self._shards)

    async def start(self) -> None:
        settings = self.settings
        url = database_url(settings.database_url)
        await prepare_database(url)  # the provider's schema, partitioned: a worker may be the first to start
        opened = await open_store(settings.database_url, pool_size=settings.database_pool)
        self._journal = Journal(libpq_url(url))
        await self._journal.start()
        self.metrics.watch_journal(self._journal.stats)
        self.metrics.watch_unwatched_events(lambda: self.events_unwatched)
        self._store = PrefetchingStore(opened.engine, self._journal)
        self._claims = await claims_pool(url)
        self._replies = Replies(self._store.engine)
        await self._replies.create_table()
        self._claim_batches = ClaimBatches(self._replies, self._claims)
        await self._replies.forget_before(time.time() - _REPLIES_KEPT_S)
        self._cell = Cell(
            self._store,
            self._source or _home_source(settings, self._store),
            SystemClock(),
            command_timeout=settings.command_timeout_s,
            on_event=self._publish_event,
        )
        self._nc = await connect_nats(settings.nats_url, self.name)
        self._js = self._nc.jetstream()
        self._events = SimulatedEvents(lambda: self.cell.homes)
        self._events.start()
        await self._nc.subscribe(SIMULATED_EVENTS, cb=self._on_events_order)
        await self._ensure_stream()
        await self._js.create_key_value(
            KeyValueConfig(bucket=LEASES, ttl=settings.lease_ttl_s, storage=StorageType.FILE)
        )
        self._leases = LeaseThread(
            settings.nats_url, LEASES, self.name, settings.shards, settings.lease_ttl_s,
            gained=self._take_shard, lost=self._drop_shard,
        )  # fmt: skip
        await self._leases.start()
        leases = self._leases
        self.metrics.watch_late_renewals(lambda: leases.late_renewals)

    async def stop(self) -> None:
        """Hand every shard back (their homes stop first), then close NATS and the store."""
        if self._events is not None:
            await self._events.stop()
        for task in list(self._background):
            task.cancel()
        await _stopped(self._background)
        if self._leases is not None:
            with contextlib.suppress(Exception):  # NATS gone: the leases expire on their own
                await self._leases.stop(release=True)
        for shard in list(self._shards):
            await self._drop_shard(shard)
        if self._cell is not None:
            await self._cell.close_all()
        if self._nc is not None:
            await self._nc.drain()
        if self._journal is not None:
            await self._journal.stop()
        if self._claims is not None:
            await self._claims.close()
        if self._store is not None:
            await self._store.close()

    def health(self) -> Mapping[str, Any]:
        connected = self._nc is not None and self._nc.is_connected
        return {
            "ok": connected,
            "worker": self.name,
            "nats": connected,
            "shards": self.shards,
            "late_renewals": self._leases.late_renewals if self._leases else 0,
            "homes": len(self._cell.homes) if self._cell else 0,
            "simulated_events": {"per_home_s": self._events.per_home_s, "made": self._events.made}
            if self._events
            else None,
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
        self._taken_at[shard] = time.monotonic()  # until the gateways have said what they watch: every event
        watches = await self._nc.subscribe(shard_watches(shard), cb=self._on_watch)
        live = await self._nc.subscribe(shard_commands(shard), cb=self._on_live)
        consumer = await self._js.pull_subscribe(
            shard_commands(shard),
            durable=f"shard-{shard}",
            stream=STREAM,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=self._ack_wait_s),
        )
        self._shards[shard] = _Shard(live, watches, self._spawn(self._replay(shard, consumer)))
        self.metrics.lease_changed()
        self.metrics.set_shards(len(self._shards))
        self._spawn(self._open_working_homes(shard))

    async def _drop_shard(self, shard: int) -> None:
        taken = self._shards.pop(shard, None)
        if taken is None:
            return
        with contextlib.suppress(Exception):
            await taken.live.unsubscribe()
        with contextlib.suppress(Exception):
            await taken.watches.unsubscribe()
        self._taken_at.pop(shard, None)
        taken.replay.cancel()
        await _stopped({taken.replay})
        homes = [h for h in self.cell.home_ids() if shard_of(h, self.settings.shards) == shard]
        await asyncio.gather(*(self.cell.close(h) for h in homes))
        for home_id in homes:
            self._subjects.pop(home_id, None)
            self._watched.pop(home_id, None)
        if self._journal is not None:  # the next owner reads these homes' states from the database
            with contextlib.suppress(Exception):
                await self._journal.durable()
        self.metrics.lease_changed()
        self.metrics.set_shards(len(self._shards))
        self.metrics.set_homes(len(self.cell.homes))

    async def _replay(self, shard: int, consumer: JetStreamContext.PullSubscription) -> None:
        try:
            while not _stopping():
                try:
                    messages = await consumer.fetch(_REPLAY_BATCH, timeout=1.0)
                except TimeoutError:  # nats-py's own, or asyncio's (which its fetch raises too, now and then)
                    continue
                except nats.errors.Error as error:  # NATS away or restarting: the client reconnects by itself
                    log.warning("shard %d: replay paused (%s)", shard, type(error).__name__)
                    await asyncio.sleep(1.0)
                    continue
                try:
                    await self._replay_batch(messages)
                except nats.errors.Error as error:  # an acknowledgement lost: the message comes again
                    log.warning("shard %d: replay interrupted (%s)", shard, type(error).__name__)
        finally:
            with contextlib.suppress(Exception):
                await consumer.unsubscribe()

    @property
    def _ack_wait_s(self) -> float:
        """How long the shards' replay consumers wait for an acknowledgement before delivering again."""
        return max(2.0, self.settings.lease_ttl_s / 2)

    async def _replay_batch(self, messages: list[Msg]) -> None:
        """A fetched batch, said to be in progress while it is worked (`kept_in_progress`): a batch that takes
        longer than `ack_wait` is not delivered again to run beside itself, out of its order."""
        async with kept_in_progress(messages, self._ack_wait_s / 3):
            await self._replay_fetched(messages)

    async def _replay_fetched(self, messages: list[Msg]) -> None:
        """A fetched batch. Nobody waits for a replayed reply, so what changes nothing (a query, a request
        this worker remembers, or one claimed before, here or by a worker that died) is acknowledged at once,
        the claims looked up in one statement for the batch, and no home is opened for it. The rest is
        carried out home by home: the homes side by side, each home's requests in their order."""
        read: list[_Replayed] = []
        for message in messages:
            replayed = _Replayed.of(message)
            if replayed is None:  # unreadable: the live copy was answered that
                await message.ack()
            else:
                read.append(replayed)
        await self._replay_read(read)

    async def _replay_read(self, messages: list[_Replayed]) -> None:
        assert self._replies is not None and self._claims is not None
        todo: dict[str, list[_Replayed]] = {}
        for replayed in messages:
            message, key = replayed.message, replayed.key
            if replayed.request.kind not in _CHANGING:
                if replayed.inbox is None or key in self._seen or self._too_old(message):
                    await message.ack()  # nobody waits for it any more, or it was answered live
                else:  # its worker died before answering, and its sender may still wait
                    todo.setdefault(key[0], []).append(replayed)
            elif key in self._remembered:
                await message.ack()
            elif key in self._refused:  # its sender was told it failed: it is not carried out behind their back
                self._refused.pop(key, None)
                self.metrics.duplicate()
                await message.ack()
            elif (live := self._inflight.get(key)) is not None:  # being carried out live here: no claim to read
                self._spawn(self._after_live(replayed, live))
            else:
                todo.setdefault(key[0], []).append(replayed)
        keys = [r.key for per_home in todo.values() for r in per_home if r.request.kind in _CHANGING]
        try:
            claimed = await self._replies.claimed(self._claims, keys)
        except Exception as error:  # the database away: kept in the stream, tried again once it is back
            if not database_down(error):
                log.error("replay: the claims could not be read", exc_info=error)
            for per_home in todo.values():
                for replayed in per_home:
                    await replayed.message.nak(delay=RETRY_AFTER_S)
            return
        await asyncio.gather(*(self._replay_home(per_home, claimed) for per_home in todo.values()))

    async def _replay_home(self, messages: list[_Replayed], claimed: Mapping[tuple[str, str], Claimed]) -> None:
        for replayed in messages:
            message = replayed.message
            # Its sender waits on the inbox for what came live here: the live copy answers it (or has).
            inbox = None if replayed.key in self._seen else replayed.inbox
            if (before := claimed.get(replayed.key)) is not None:
                self.metrics.duplicate()
                if inbox is not None and not before.refused:  # its worker died before sending the reply, or
                    # before carrying it out (claimed, no reply): its sender hears "interrupted" now, at the
                    # takeover, rather than nothing until its wait ends
                    await self._reply(inbox, before.reply or INTERRUPTED, replayed.request)
                await message.ack()
                continue
            request, asked_at = replayed.request, _stored_at(message)  # the gap's oldest open first
            reply = await self._serve(
                message.subject, message.data, inbox, live=False, request=request, asked_at=asked_at
            )
            if reply.code == UNAVAILABLE:  # kept in the stream, tried again once the database is back
                await message.nak(delay=RETRY_AFTER_S)
            else:
                await message.ack()

    async def _after_live(self, replayed: _Replayed, live: asyncio.Event) -> None:
        """The stream copy of a request this worker is carrying out live, once that is done: acknowledged
        from memory (remembered or refused), or else replayed as any other (its claim read)."""
        await live.wait()
        with contextlib.suppress(nats.errors.Error):  # an acknowledgement lost: the message comes again
            await self._replay_read([replayed])

    def _too_old(self, message: Msg) -> bool:
        """Whether a stream message is older than any gateway waits for an answer (the stream's clock)."""
        stored = _stored_at(message)
        return stored is None or time.time() - stored > self.settings.answer_within_s

    async def _open_working_homes(self, shard: int) -> None:
        """Homes with timers or rules run without being asked: open them now."""
        assert self._replies is not None
        working = await self._replies.homes_with_work(lambda h: _in_shard(h, shard, self.settings.shards))
        # All at once: their rows are read in batches (prefetch.py) and a few open at a time (cell.py).
        await asyncio.gather(*(self._open_quietly(home_id, shard) for home_id in working))

    async def _open_quietly(self, home_id: str, shard: int) -> None:
        if shard not in self._shards:  # dropped meanwhile
            return
        try:
            await self.cell.home(home_id)
        except Exception:
            log.exception("home %s could not be opened", home_id)
        self.metrics.set_homes(len(self.cell.homes))

    # -- requests -------------------------------------------------------------------------------

    async def _on_events_order(self, message: Msg) -> None:
        assert self._events is not None
        self._events.order(message.data)

    async def _on_live(self, message: Msg) -> None:
        reply_to = message.reply or reply_inbox(message.headers)
        self._spawn(self._serve(message.subject, message.data, reply_to, live=True))

    async def _serve(
        self,
        subject: str,
        data: bytes,
        reply_to: str | None,
        *,
        live: bool,
        request: Request | None = None,
        asked_at: float | None = None,
    ) -> Reply:
        """Answer a request, live or `request` replayed from the stream (read once already, made at
        `asked_at`), on `reply_to`. A replayed request met by "try again shortly" is not answered: it stays
        in the stream."""
        started = time.perf_counter()
        kind = "bad"
        refusing: tuple[str, str] | None = None  # a live request that changes a home: refused durably on failure
        inflight: asyncio.Event | None = None  # set once it is carried out (or refused): its stream copy waits
        reply: Reply | None
        try:
            request = request or Request.from_bytes(data)
            kind = request.kind
            if live:
                refusing, inflight = self._came_live(request)
            if home_of_subject(subject) != request.home:
                raise BadRequest("request_wrong_subject", home=request.home, subject=subject)
            if self._leases is not None and not self._leases.serving(shard_of(request.home, self.settings.shards)):
                reply = _NOT_NOW  # the lease is late in renewing (or gone): another worker may hold it soon
                if refusing is not None:
                    reply = await self._refuse(refusing, reply)
            else:
                reply = await self._answer(request, live=live, asked_at=asked_at)
        except (BadRequest, BadHomeId) as error:
            reply = Reply.told("bad_request", error.said)
        except Exception as error:
            reply = _failed(subject, error)
            if refusing is not None:  # its sender hears it failed: the stream's copy must not carry it out
                reply = await self._refuse(refusing, reply)
        finally:
            if inflight is not None and refusing is not None:
                self._inflight.pop(refusing, None)
                inflight.set()
        if reply is None:  # claimed meanwhile by the shard's next owner, which answers the sender
            return _NOT_NOW
        if reply_to is not None and self._nc is not None and (live or reply.code != UNAVAILABLE):
            self.metrics.answered(kind, reply.ok, time.perf_counter() - started)
            await self._reply(reply_to, reply, request)
        return reply

    async def _reply(self, reply_to: str, reply: Reply, request: Request | None) -> None:
        assert self._nc is not None
        headers = answers(request.home, request.id) if request is not None else None
        with contextlib.suppress(nats.errors.Error):  # NATS away: the sender hears nothing and asks again
            await self._nc.publish(reply_to, reply.to_bytes(), headers=headers)

    def _came_live(self, request: Request) -> tuple[tuple[str, str] | None, asyncio.Event | None]:
        """Note a live request: seen (its stream copy answers nobody), and if it changes a home, its key
        (refused durably should it fail) and, unless another copy is under way, an event set once it is done
        (its stream copy waits for it instead of reading its claim)."""
        key = (request.home, request.id)
        self._seen[key] = None
        while len(self._seen) > _SEEN:
            self._seen.popitem(last=False)
        if request.kind not in _CHANGING:
            return None, None
        if key in self._inflight:
            return key, None
        event = self._inflight[key] = asyncio.Event()
        return key, event

    async def _answer(self, request: Request, *, live: bool, asked_at: float | None = None) -> Reply:
        key = (request.home, request.id)
        changing = request.kind in _CHANGING
        if changing and (kept := self._remembered.get(key)) is not None:
            if live:
                self.metrics.duplicate()
            return kept
        if changing and live:
            self._refused.pop(key, None)  # sent again: carried out afresh, whatever the first try met
        try:
            home = await self.cell.home(request.home, asked_at=asked_at)
        except NoSuchHome:
            return Reply.refusal("not_found", "reply_no_home", home=request.home)
        finally:
            self.metrics.set_homes(len(self.cell.homes))
        if not changing:
            return await answer(home, request)
        async with home.lock:
            if (kept := self._remembered.get(key)) is not None:
                return kept
            if not live and key in self._refused:  # answered live with a failure meanwhile
                return _NOT_CARRIED_OUT
            reply = await self._apply_once(home, request, live=live)
            self._remember(key, reply)
        return reply

    async def _refuse(self, key: tuple[str, str], reply: Reply) -> Reply | None:
        """A live request is to be answered with a failure (`reply`: its shard changing workers, PostgreSQL
        away): its copy in the stream must not carry it out later, behind the back of whoever was told to try
        again. Recorded in `provider_replies` before it is sent, where the copy's next worker finds it, and in
        memory, for while PostgreSQL is away. The reply to send: `reply`, or the stored one if the request
        was claimed meanwhile (its copy replayed by the shard's next owner), None while that one carries
        it out (and answers the sender's inbox). (Had it been claimed before it failed here, the stream's copy
        would find the claim and do nothing either.)"""
        assert self._replies is not None and self._claims is not None
        self._refused[key] = None
        while len(self._refused) > _REFUSED:
            self._refused.popitem(last=False)
        try:
            before = await self._replies.refuse(self._claims, key[0], key[1], reply)
        except Exception as error:  # PostgreSQL away: refused in memory only, where this worker's replay looks
            if not database_down(error):
                log.error("a refusal could not be recorded", exc_info=error)
            return reply
        if before is None:
            return reply
        self._refused.pop(key, None)
        return before.reply

    async def _apply_once(self, home: CellHome, request: Request, *, live: bool) -> Reply:
        """Claim the request, carry it out, and keep its reply with what it changed (one commit, shared)."""
        assert self._claim_batches is not None and self._journal is not None
        started = time.perf_counter()
        claimed = await self._claim_batches.claim(request.home, request.id, live=live)  # with others waiting
        self.metrics.step("claim", time.perf_counter() - started)
        if claimed is not None:
            self.metrics.duplicate()
            return claimed.reply or INTERRUPTED
        if not live:
            self.metrics.replay()
        applying = time.perf_counter()
        reply = await answer(home, request)
        self._journal.reply(request.home, request.id, time.time(), reply.to_bytes().decode())
        committing = time.perf_counter()
        self.metrics.step("apply", committing - applying)
        await self._journal.durable()
        self.metrics.step("commit", time.perf_counter() - committing)
        return reply

    def _remember(self, key: tuple[str, str], reply: Reply) -> None:
        self._remembered[key] = reply
        while len(self._remembered) > _REMEMBERED:
            self._remembered.popitem(last=False)

    # -- events ---------------------------------------------------------------------------------

    def _publish_event(self, home_id: str, event: Any) -> None:
        """Every public event of a home that someone watches, with who may see it, on the home's `.evt`
        subject. Events are sent in order by one task for all that came in the meantime, not a task each."""
        to_json = getattr(event, "to_json", None)
        audience = getattr(event, "audience", None)
        if to_json is None or audience is None or self._nc is None or not self._nc.is_connected:
            return
        subject = self._subject_if_watched(home_id)
        if subject is None:
            self.events_unwatched += 1
            return
        document = {"audience": {"person": audience.person, "owners": audience.owners}, "event": to_json()}
        payload = orjson.dumps(document, default=str, option=orjson.OPT_NON_STR_KEYS)  # json's CPU a tenth
        self._outgoing.append((subject, payload))
        if len(self._outgoing) == 1:  # the first since the last send: nothing is sending them now
            self._spawn(self._send_events())

    def _subject_if_watched(self, home_id: str) -> str | None:
        """The home's events' subject while a WebSocket of it is said open, or its shard was taken less than
        `events_watch_s` ago (a gateway's word may have gone to the shard's last worker); else None."""
        known = self._subjects.get(home_id)
        if known is None:  # worked out (the id checked, its shard's CRC) once per home, not once per event
            known = self._subjects[home_id] = (event_subject(home_id), shard_of(home_id))
        now = time.monotonic()
        if self._watched.get(home_id, 0.0) > now:
            return known[0]
        if now - self._taken_at.get(known[1], float("-inf")) < self.settings.events_watch_s:
            return known[0]
        return None

    async def _on_watch(self, message: Msg) -> None:
        """A gateway says a WebSocket of this home is open: publish its events for `events_watch_s` more."""
        try:
            home_id = home_of_subject(message.subject)
        except BadHomeId:
            return
        self._watched[home_id] = time.monotonic() + self.settings.events_watch_s
        if message.reply:
            with contextlib.suppress(nats.errors.Error):
                await message.respond(b"")

    async def _send_events(self) -> None:
        while self._outgoing and self._nc is not None:
            subject, payload = self._outgoing[0]
            try:
                await self._nc.publish(subject, payload)
            except nats.errors.Error as error:  # NATS away: these events are gone, as they would be unsent
                log.warning("%d events not published (%s)", len(self._outgoing), type(error).__name__)
                self._outgoing.clear()
                return
            self._outgoing.popleft()

    def _spawn(self, work: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task


def _stopping() -> bool:
    """Whether the running task was told to stop. nats-py's fetch waits with asyncio.wait_for, which on
    Python 3.11 may turn a cancel into a timeout or a result; the cancel is still counted here, and a loop
    that checks it stops as asked instead of fetching forever (a worker's stop hung on it)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def _stopped(tasks: set[asyncio.Task[Any]], within_s: float = _STOP_WAIT_S) -> None:
    """Wait for cancelled tasks to end, but not forever: one that ignores its cancel is named in the log and
    left behind, and the worker's stop goes on."""
    if not tasks:
        return
    done, late = await asyncio.wait(set(tasks), timeout=within_s)
    for task in done:
        if not task.cancelled():
            task.exception()  # retrieved: its failure was logged where it happened
    for task in late:
        log.error("a task did not stop within %.0f s of its cancel: %r", within_s, task.get_coro())


def _home_source(settings: ProviderSettings, store: JournalStore) -> HomeSource:
    """The homes table (what `homes import` wrote), or home files where the settings name them."""
    if settings.homes_dir or settings.home_template:
        return HomeFiles(settings.homes_dir or None, settings.home_template or None)
    return HomeRows(store.engine)


def _failed(subject: str, error: Exception) -> Reply:
    """The reply to a request that raised: "try again shortly" while PostgreSQL is away, else internal."""
    if database_down(error):
        log.warning("request on %s: the database is not reachable (%s)", subject, type(error).__name__)
        return Reply.refusal(UNAVAILABLE, "reply_database_down")
    log.error("request on %s failed", subject, exc_info=error)
    return Reply.refusal("internal", "reply_internal")


@dataclass(frozen=True, slots=True)
class _Replayed:
    """A stream message, its request read once, and the inbox its sender waits on (if it names one)."""

    message: Msg
    request: Request
    inbox: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.request.home, self.request.id)

    @classmethod
    def of(cls, message: Msg) -> _Replayed | None:
        try:
            request = Request.from_bytes(message.data)
        except (BadRequest, BadHomeId):
            return None
        return cls(message, request, reply_inbox(message.headers))


def _stored_at(message: Msg) -> float | None:
    """When a stream message was stored (the stream's clock); None when nobody can say (not a JetStream
    message's reply subject)."""
    try:
        return float(message.metadata.timestamp.timestamp())
    except Exception:
        return None


def _in_shard(home_id: str, shard: int, shards: int) -> bool:
    try:
        return shard_of(home_id, shards) == shard
    except BadHomeId:
        return False


async def run_worker(settings: ProviderSettings, stop: asyncio.Event) -> None:
    """Start a worker (and its metrics endpoint, if bound), run until `stop` is set, then stop it."""
    worker = Worker(settings)
    try:
        await worker.start()
    except BaseException:  # NATS out of reach, say: what was started is closed before the error is told
        await worker.stop()
        raise
    runner = await worker.serve_metrics() if settings.metrics_bind else None
    print(f"jibsa provider worker {worker.name}: serving", flush=True)
    try:
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await worker.stop()
