"""A request replayed from the workers' stream, over a real nats-server and PostgreSQL: its sender, still
waiting, is answered on the inbox the request names (`Jibsa-Reply-To`), and only on a reply inbox (forged
headers make no worker publish on a home's subjects or JetStream's); a request answered live with a failure
is not carried out later from its stream copy by another worker, and its sender's retry is."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import httpx
import nats
import pytest
import sqlalchemy as sa
from gateway_support import running_gateway
from history_support import brightness_changes
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Role
from jibsa.provider.load import ask
from jibsa.provider.outages import UNAVAILABLE
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, command_subject, event_subject, shard_of, watch_subject
from jibsa.provider.wire import ANSWERS, REPLY_TO, Asker, Reply, Request, reply_inbox, stream_once
from jibsa.provider.worker import LEASES, STREAM, Worker
from jibsa.storage.engine import create_engine
from jibsa.storage.engine import database_url as engine_url
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres
OWNER = Asker("민지", Role.OWNER, "http")
LIGHT = "study_light"


def _bright(value: int) -> dict[str, object]:
    return {"intent": "set", "targets": [LIGHT], "params": {"property": "brightness", "value": value}}


def _home() -> str:
    return f"r-{uuid.uuid4().hex[:10]}"


class _SampleHomes:
    """The built-in sample home under any id; with `failing`, opening that home raises once (a bug in it)."""

    def __init__(self, failing: str | None = None) -> None:
        from jibsa.home_file import load_home

        self._home = load_home(None).home
        self._failing = failing

    async def home(self, home_id: str) -> tuple[object, str]:
        if home_id == self._failing:
            self._failing = None
            raise RuntimeError("this home's file broke the worker")
        return replace(self._home, id=home_id), "sample"


async def _until(predicate: Callable[[], bool], within_s: float = 20.0) -> None:
    async with asyncio.timeout(within_s):
        while not predicate():  # noqa: ASYNC110  (leases change in the workers' rounds: no event to await)
            await asyncio.sleep(0.05)


async def _running(settings: ProviderSettings, source: object = None) -> Worker:
    worker = Worker(settings, source=source or _SampleHomes())  # type: ignore[arg-type]
    await worker.start()
    await _until(lambda: len(worker.shards) == SHARDS)
    return worker


async def _stream_drained(client: NATS, within_s: float = 30.0) -> None:
    async with asyncio.timeout(within_s):
        while (await client.jetstream().stream_info(STREAM)).state.messages:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def _stop_replaying(worker: Worker) -> None:
    """Stops the worker's replay of its shards' streams, as if it died right after answering what came live:
    the stream's copies are left for the shards' next owner."""
    tasks = [shard.replay for shard in worker._shards.values()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture
def settings(nats_server: NatsServer, database_url: str) -> ProviderSettings:
    return ProviderSettings(nats_url=nats_server.url, database_url=database_url, lease_ttl_s=3.0, worker="w1")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine(engine_url(database_url))
    yield made
    await made.dispose()


async def test_a_gateways_request_that_reached_no_worker_is_answered_in_the_same_http_request(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    """No worker runs when the command and the query are sent; the next one replays them and answers the
    gateway, which still waits: the client's one request is answered (not 504, then sent again)."""
    settings = ProviderSettings(nats_url=nats_server.url, database_url=provider_url, lease_ttl_s=3.0, worker="w1")
    first = Worker(settings)  # the homes of the homes table, as the gateway's support imports them
    await first.start()  # makes the stream and the shards' consumers
    await _until(lambda: len(first.shards) == SHARDS)
    await first.stop()
    async with running_gateway(provider_db, provider_url, nats_server.url, stand_in=False, request_timeout_s=20) as gw:
        headers = {"Authorization": f"Bearer {gw.tokens['h_a']}"}
        async with httpx.AsyncClient(base_url=gw.base, headers=headers, timeout=60) as http:
            body = _bright(64)
            commanding = asyncio.ensure_future(http.post("/api/command", json=body, headers={"Idempotency-Key": "k1"}))
            asking = asyncio.ensure_future(http.get("/api/state"))
            await asyncio.sleep(1.0)
            assert not commanding.done() and not asking.done()
            second = Worker(replace(settings, worker="w2"))
            await second.start()
            try:
                commanded, state = await commanding, await asking
            finally:
                await second.stop()
    assert commanded.status_code == 200, commanded.text
    assert commanded.json()["results"][0]["state"]["brightness"] == 64
    assert state.status_code == 200 and LIGHT in state.json(), state.text
    changes = await brightness_changes(provider_db, "h_a", LIGHT)
    assert changes[-1] == 64 and changes.count(64) == 1, changes


async def test_a_senders_one_request_is_answered_by_the_next_owner(
    settings: ProviderSettings, client: NATS, engine: AsyncEngine
) -> None:
    first = await _running(settings)
    await first.stop()
    home = _home()
    request = Request(uuid.uuid4().hex, home, OWNER, "command", _bright(58))
    asking = asyncio.ensure_future(ask(client, request, try_s=60, give_up_s=60))  # sent once, then waits
    await asyncio.sleep(0.5)
    second = await _running(replace(settings, worker="w2"))
    try:
        reply = await asyncio.wait_for(asking, 30)
    finally:
        await second.stop()
    assert reply is not None and reply.ok and reply.result["ok"], reply
    assert await _values(engine, home) == [58]


# Reply subjects a forged request names: none may receive anything from a worker.
def _forged(other: str) -> list[str]:
    return [
        event_subject(other),
        command_subject(other),
        watch_subject(other),
        "jibsa.auth.revoked",
        f"$JS.API.STREAM.DELETE.{STREAM}",
        f"$KV.{LEASES}.shard.{SHARDS + 1}",
        "_INBOX.>",
        "_INBOX.*",
        "_INBOX.*.x",
        "_INBOX",
        "_INBOX.",
        "_INBOX..x",
        "_inbox.abc",
        "_INBOX.a.b.c",
        "_INBOX.abc def",
        "_INBOX." + "a" * 65,
        " _INBOX.abc",
        "jibsa._INBOX.abc",
    ]


def test_only_a_reply_inbox_is_believed() -> None:
    assert reply_inbox({REPLY_TO: "_INBOX.a1B2c3"}) == "_INBOX.a1B2c3"
    assert reply_inbox({REPLY_TO: "_INBOX.nuid22chars000000000.token1234"}) is not None
    assert reply_inbox(None) is None and reply_inbox({}) is None
    for forged in _forged("h-other"):
        assert reply_inbox({REPLY_TO: forged}) is None, forged


async def test_a_forged_reply_header_makes_no_worker_publish_anywhere_but_a_reply_inbox(
    settings: ProviderSettings, client: NATS, nats_server: NatsServer, engine: AsyncEngine
) -> None:
    """Requests kept in the stream while no worker runs, each naming a subject of another home, of JetStream,
    of the leases or a wildcard as its reply inbox: the next worker carries each out (it is a valid request)
    and publishes its reply on none of them; one naming a real inbox is answered there, saying which request
    it answers."""
    first = await _running(settings)
    await first.stop()
    mine, other = _home(), _home()
    watcher = await nats.connect(nats_server.url)
    heard: list[str] = []

    async def hear(message: Msg) -> None:
        heard.append(message.subject)

    for subject in (">", "$JS.API.>", "$KV.>", "jibsa.>", "_INBOX.>"):
        await watcher.subscribe(subject, cb=hear)
    inbox = client.new_inbox()
    answered: asyncio.Queue[Msg] = asyncio.Queue()
    await client.subscribe(inbox, cb=answered.put)
    forged = _forged(other)
    sent: dict[str, Request] = {}
    for n, subject in enumerate([*forged, inbox]):
        request = Request(uuid.uuid4().hex, mine, OWNER, "command", _bright(10 + n))
        sent[subject] = request
        await client.publish(
            command_subject(mine), request.to_bytes(), headers={**stream_once(mine, request.id), REPLY_TO: subject}
        )
    await client.flush()
    await watcher.flush()
    heard.clear()  # what the requests themselves were
    second = await _running(replace(settings, worker="w2"))
    try:
        await _stream_drained(client)
        reply = await asyncio.wait_for(answered.get(), 10)
        await asyncio.sleep(0.5)  # a stray reply, were there one, lands meanwhile
    finally:
        await second.stop()
        await watcher.close()
    assert Reply.from_bytes(reply.data).ok and reply.headers == {ANSWERS: f"{mine}/{sent[inbox].id}"}
    assert not set(heard) & set(forged), sorted(set(heard) & set(forged))
    assert not [s for s in heard if other in s], heard
    assert (await client.jetstream().stream_info(STREAM)).config.name == STREAM  # not deleted
    # Each carried out once (in any order: a batch slower than the stream's ack wait is delivered again).
    assert sorted(await _values(engine, mine)) == [10 + n for n in range(len(forged) + 1)]


async def test_a_request_refused_while_its_shard_changes_is_not_carried_out_by_the_next_owner(
    settings: ProviderSettings, client: NATS, engine: AsyncEngine
) -> None:
    """Worker A's lease goes stale: A answers a command "try again shortly" and dies before its replay sees the
    command's copy. B takes the shard and replays the copy: not carried out. The client's retry (same id) is."""
    a = await _running(settings)
    home = _home()
    request = Request(uuid.uuid4().hex, home, OWNER, "command", _bright(47))
    try:
        await _stop_replaying(a)
        assert a._leases is not None
        await a._leases.stop(release=False)  # no more renewals: A stops serving within 3/4 of the TTL
        await _until(lambda: a._leases is not None and not a._leases.serving(shard_of(home)))
        answer = await client.request(
            command_subject(home), request.to_bytes(), timeout=10, headers=stream_once(home, request.id)
        )
        assert Reply.from_bytes(answer.data).code == UNAVAILABLE
    finally:
        await a.stop()
    await _only_the_retry_is_carried_out(replace(settings, worker="w2"), client, engine, request, 47)


async def test_a_request_that_failed_live_is_not_carried_out_by_the_next_owner(
    settings: ProviderSettings, client: NATS, engine: AsyncEngine
) -> None:
    """Opening the home fails in worker A (answered "internal"); A stops before its replay sees the copy. B
    replays it: not carried out, and the client's retry under the same id is."""
    home = _home()
    a = await _running(settings, _SampleHomes(failing=home))
    request = Request(uuid.uuid4().hex, home, OWNER, "command", _bright(36))
    try:
        await _stop_replaying(a)
        failed = await ask(client, request)
        assert failed is not None and failed.code == "internal", failed
    finally:
        await a.stop()
    await _only_the_retry_is_carried_out(replace(settings, worker="w2"), client, engine, request, 36)
    assert await _audit_rows(engine, home, request.id) == 1


async def _only_the_retry_is_carried_out(
    settings: ProviderSettings, client: NATS, engine: AsyncEngine, request: Request, value: int
) -> None:
    """The shard's next owner (a worker on `settings`) replays the stream's copy of `request`, refused
    before: not carried out; the client's retry under the same id is, setting the light to `value`."""
    b = await _running(settings)
    try:
        await _stream_drained(client)
        assert await _values(engine, request.home) == []
        retried = await ask(client, request)
        assert retried is not None and retried.ok and retried.result["ok"], retried
        assert await _values(engine, request.home) == [value]
    finally:
        await b.stop()


async def _values(engine: AsyncEngine, home: str) -> list[int]:
    """The light's brightness changes this test made (the sample home's light starts at 100)."""
    return [v for v in await brightness_changes(engine, home, LIGHT) if v != 100]


async def _audit_rows(engine: AsyncEngine, home: str, request_id: str) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            sa.text("SELECT count(*) FROM audit_log WHERE home_id = :home AND detail->>'request' = :id"),
            {"home": home, "id": request_id},
        )
    return int(count or 0)
