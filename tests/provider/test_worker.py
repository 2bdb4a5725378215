"""A worker hosting many homes, over a real nats-server and PostgreSQL: requests answered through each
home's gate, a request id applied once however often it comes, requests that reached no worker replayed
from the stream, and events on the home's own subject."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from history_support import brightness_changes
from nats.aio.client import Client as NATS
from prometheus_client.parser import text_string_to_metric_families

from jibsa.domain import Role
from jibsa.provider.fleet import MAX_PER_HOME_S, SimulatedEvents
from jibsa.provider.fleet import SUBJECT as SIMULATED_EVENTS
from jibsa.provider.load import ask
from jibsa.provider.replies import Replies, claims_pool
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, command_subject, event_subject, watch_subject
from jibsa.provider.wire import Asker, Reply, Request, stream_once
from jibsa.provider.worker import STREAM, Worker
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres
OWNER = Asker("민지", Role.OWNER, "http")


def _bright(value: int) -> dict[str, object]:
    return {"intent": "set", "targets": ["study_light"], "params": {"property": "brightness", "value": value}}


async def _until(predicate: Callable[[], bool], within_s: float = 15.0) -> None:
    """Poll `predicate` (a worker's leases and counters change in its own rounds, with no event to await)."""
    async with asyncio.timeout(within_s):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


@pytest.fixture
async def worker(nats_server: NatsServer, database_url: str) -> AsyncIterator[Worker]:
    settings = ProviderSettings(nats_url=nats_server.url, database_url=database_url, lease_ttl_s=3.0, worker="w1")
    running = Worker(settings, source=_SampleHomes())
    await running.start()
    await _until(lambda: len(running.shards) == SHARDS)
    yield running
    await running.stop()


class _SampleHomes:
    """The built-in sample home under any id (the template source, without a file)."""

    def __init__(self) -> None:
        from jibsa.home_file import load_home

        self._home = load_home(None).home

    async def home(self, home_id: str) -> tuple[object, str]:
        from jibsa.provider.shards import checked_home_id

        return replace(self._home, id=checked_home_id(home_id)), "sample"


def _home() -> str:
    return f"h-{uuid.uuid4().hex[:10]}"


async def test_many_homes_answer_each_through_its_own_state(worker: Worker, client: NATS) -> None:
    homes = [_home() for _ in range(12)]
    replies = await asyncio.gather(
        *(ask(client, Request(uuid.uuid4().hex, h, OWNER, "command", _bright(10 + i))) for i, h in enumerate(homes))
    )
    assert all(r is not None and r.ok and r.result["ok"] for r in replies), replies
    states = await asyncio.gather(*(ask(client, Request(uuid.uuid4().hex, h, OWNER, "state")) for h in homes))
    assert [s.result["study_light"]["brightness"] for s in states if s] == [10 + i for i in range(12)]
    assert set(worker.cell.homes) >= set(homes)
    said = await ask(client, Request(uuid.uuid4().hex, homes[0], OWNER, "say", {"text": "서재 불 꺼줘"}))
    assert said is not None and said.ok and said.result["commands"][0]["intent"] == "turn_off"
    state = await ask(client, Request(uuid.uuid4().hex, homes[0], OWNER, "state"))
    assert state is not None and state.result["study_light"]["power"] is False
    other = await ask(client, Request(uuid.uuid4().hex, homes[1], OWNER, "state"))
    assert other is not None and other.result["study_light"]["brightness"] == 11


async def test_a_request_id_is_applied_once_however_often_it_comes(
    worker: Worker, client: NATS, database_url: str
) -> None:
    home, request_id = _home(), uuid.uuid4().hex
    request = Request(request_id, home, OWNER, "command", _bright(33))
    first = await ask(client, request)
    again = await asyncio.gather(*(ask(client, request) for _ in range(5)))
    assert first is not None and first.ok
    assert all(r == first for r in again)
    # Changed since: the replayed request is still answered from its first reply and does not set 33 again.
    await ask(client, Request(uuid.uuid4().hex, home, OWNER, "command", _bright(44)))
    assert await ask(client, request) == first
    state = await ask(client, Request(uuid.uuid4().hex, home, OWNER, "state"))
    assert state is not None and state.result["study_light"]["brightness"] == 44
    assert await _audit_rows(database_url, home, request_id) == 1
    # Read once the replies came, with no waiting: what a reply acknowledged is committed before it is sent.
    history = await _brightness_history(database_url, home)
    assert history[-2:] == [33, 44] and history.count(33) == 1, history


async def test_a_request_nobody_waits_for_is_applied_once_and_its_reply_kept(
    worker: Worker, client: NATS, database_url: str
) -> None:
    home, request_id = _home(), uuid.uuid4().hex
    request = Request(request_id, home, OWNER, "command", _bright(57))
    await client.publish(command_subject(home), request.to_bytes())  # nobody waits for the reply
    await _until_state(client, home, 57)
    answered = await ask(client, request)  # the gateway asks again: the stored reply
    assert answered is not None and answered.ok and answered.result["results"][0]["ok"]
    assert await _audit_rows(database_url, home, request_id) == 1


async def test_a_request_sent_while_no_worker_runs_is_replayed_to_the_next(
    nats_server: NatsServer, database_url: str, client: NATS
) -> None:
    settings = ProviderSettings(nats_url=nats_server.url, database_url=database_url, lease_ttl_s=3.0, worker="w1")
    first = Worker(settings, source=_SampleHomes())
    await first.start()  # makes the stream and the shards' consumers
    await _until(lambda: len(first.shards) == SHARDS)
    await first.stop()
    home, request_id = _home(), uuid.uuid4().hex
    await client.publish(command_subject(home), Request(request_id, home, OWNER, "command", _bright(61)).to_bytes())
    second = Worker(replace(settings, worker="w2"), source=_SampleHomes())
    await second.start()
    try:
        await _until_state(client, home, 61)
        answered = await ask(client, Request(request_id, home, OWNER, "command", _bright(61)))
        assert answered is not None and answered.ok  # the stored reply, once the replay was answered
        assert await _audit_rows(database_url, home, request_id) == 1
        assert second.metrics.replayed.labels(worker="w2")._value.get() == 1
    finally:
        await second.stop()


async def test_a_replayed_backlog_opens_no_home_for_what_needs_no_work(
    nats_server: NatsServer, database_url: str, client: NATS
) -> None:
    """While no worker runs: a query (its asker gone), a command claimed by a worker that died, a command sent
    three times under one id with the stream's once-only header (one copy kept) and one sent twice without
    it. The next worker carries out each unclaimed command once and opens no home for the rest."""
    settings = ProviderSettings(nats_url=nats_server.url, database_url=database_url, lease_ttl_s=3.0, worker="w1")
    first = Worker(settings, source=_SampleHomes())
    await first.start()
    await _until(lambda: len(first.shards) == SHARDS)
    await first.stop()
    asked, claimed, once, twice = _home(), _home(), _home(), _home()
    sent = {
        h: Request(uuid.uuid4().hex, h, OWNER, "command", _bright(40 + i)) for i, h in enumerate((claimed, once, twice))
    }
    await client.publish(command_subject(asked), Request(uuid.uuid4().hex, asked, OWNER, "state").to_bytes())
    await client.publish(command_subject(claimed), sent[claimed].to_bytes())
    for _ in range(3):
        await client.publish(command_subject(once), sent[once].to_bytes(), headers=stream_once(once, sent[once].id))
    for _ in range(2):
        await client.publish(command_subject(twice), sent[twice].to_bytes())
    await client.flush()
    assert (await client.jetstream().stream_info(STREAM)).state.messages == 5
    await _claim(database_url, claimed, sent[claimed].id)  # by a worker that died before answering
    second = Worker(replace(settings, worker="w2"), source=_SampleHomes())
    await second.start()
    try:
        async with asyncio.timeout(15):  # each message is acknowledged once what it did is committed
            while (await client.jetstream().stream_info(STREAM)).state.messages:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        assert second.metrics.replayed.labels(worker="w2")._value.get() == 2
        assert second.metrics.duplicates.labels(worker="w2")._value.get() >= 1
        assert asked not in second.cell.homes and claimed not in second.cell.homes
        for home in (once, twice):
            assert await _audit_rows(database_url, home, sent[home].id) == 1
            assert (await _brightness_history(database_url, home)).count(sent[home].body["params"]["value"]) == 1
    finally:
        await second.stop()


async def test_a_request_on_another_homes_subject_or_unreadable_is_refused(worker: Worker, client: NATS) -> None:
    mine, theirs = _home(), _home()
    forged = Request(uuid.uuid4().hex, theirs, OWNER, "command", _bright(5))
    message = await client.request(command_subject(mine), forged.to_bytes(), timeout=5)
    refused = Reply.from_bytes(message.data)
    assert (refused.ok, refused.code) == (False, "bad_request")
    assert theirs not in worker.cell.homes
    broken = await client.request(command_subject(mine), b"{not json", timeout=5)
    assert Reply.from_bytes(broken.data).code == "bad_request"
    wrong_via = Request(uuid.uuid4().hex, mine, Asker("x", Role.OWNER, "rule"), "command", _bright(5))
    answer = await ask(client, wrong_via)
    assert answer is not None and answer.code == "bad_request"
    guest = Request(uuid.uuid4().hex, mine, Asker("손님", Role.GUEST, "http"), "say", {"text": "현관문 열어줘"})
    refused_guest = await ask(client, guest)
    assert refused_guest is not None
    door = await ask(client, Request(uuid.uuid4().hex, mine, OWNER, "state"))
    assert door is not None and door.result["front_door"]["lock"] == "locked"


async def test_a_homes_events_go_to_its_own_subject_only(worker: Worker, client: NATS) -> None:
    mine, other = _home(), _home()
    await ask(client, Request(uuid.uuid4().hex, other, OWNER, "state"))
    got: dict[str, list[dict[str, object]]] = {mine: [], other: []}
    for home in (mine, other):
        await client.subscribe(event_subject(home), cb=_collect(got[home]))
        await client.request(watch_subject(home), b"", timeout=5)  # both watched, as gateways would say
    await ask(client, Request(uuid.uuid4().hex, mine, OWNER, "command", _bright(71)))
    await _until(lambda: any(e["event"].get("type") == "state_changed" for e in got[mine]))  # type: ignore[union-attr]
    await asyncio.sleep(0.2)
    assert got[other] == []


async def test_device_events_of_many_homes_are_published_and_kept_each_in_order_with_its_home(
    worker: Worker, client: NATS, database_url: str
) -> None:
    homes = [_home(), _home()]
    got: dict[str, list[dict[str, Any]]] = {home: [] for home in homes}
    for home in homes:
        await client.subscribe(event_subject(home), cb=_collect(got[home]))  # type: ignore[arg-type]
        await client.request(watch_subject(home), b"", timeout=5)
    running = [await worker.cell.home(home) for home in homes]
    motions = [True, False] * 10
    for value in motions:  # the homes' events interleaved, all in one turn of the loop (one journal batch)
        for home in running:
            home.hub.adapters["sim"].inject("entrance_motion", {"motion": value})  # type: ignore[attr-defined]

    def seen(home: str) -> list[bool]:
        return [e["event"]["changed"]["motion"] for e in got[home] if e["event"].get("device") == "entrance_motion"]

    await _until(lambda: all(len(seen(home)) == len(motions) for home in homes))
    assert all(seen(home) == motions for home in homes)
    assert worker._journal is not None
    await worker._journal.durable()
    for home in homes:
        assert await _motion_history(database_url, home) == motions  # every change its own row, of its home


async def _motion_history(url: str, home: str) -> list[bool]:
    engine = create_engine(database_url(url))
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                sa.text(
                    "SELECT (new->>'motion')::bool FROM state_history WHERE home_id = :home "
                    "AND device_id = 'entrance_motion' AND old->'motion' IS NOT NULL ORDER BY at, id"
                ),
                {"home": home},
            )
            return [value for (value,) in rows]
    finally:
        await engine.dispose()


async def test_a_homes_events_are_published_only_while_a_gateway_says_someone_watches(
    nats_server: NatsServer, database_url: str, client: NATS
) -> None:
    settings = ProviderSettings(
        nats_url=nats_server.url, database_url=database_url, lease_ttl_s=3.0, worker="w2", events_watch_s=2.0
    )
    worker = Worker(settings, source=_SampleHomes())
    await worker.start()
    try:
        await _until(lambda: len(worker.shards) == SHARDS)
        home, other = _home(), _home()
        running = {h: await worker.cell.home(h) for h in (home, other)}
        got: dict[str, list[dict[str, Any]]] = {home: [], other: []}
        for h in (home, other):
            await client.subscribe(event_subject(h), cb=_collect(got[h]))  # type: ignore[arg-type]
        await client.flush()
        await asyncio.sleep(settings.events_watch_s)  # the shards' first while (everything is published) ends
        _motion(running[home], True)
        assert worker.events_unwatched == 1  # nobody said they watch: not published
        await client.request(watch_subject(home), b"", timeout=5)  # as a gateway opening a WebSocket does
        _motion(running[home], False)
        _motion(running[other], True)
        assert worker.events_unwatched == 2  # the other home's: still nobody watches it
        await _until(lambda: len(got[home]) == 1)
        assert got[home][0]["event"]["changed"] == {"motion": False}
        await asyncio.sleep(settings.events_watch_s)  # no gateway said it again: the watch ends
        _motion(running[home], True)
        assert worker.events_unwatched == 3
        assert got[other] == [] and len(got[home]) == 1
        assert 'jibsa_worker_events_unwatched{worker="w2"} 3.0' in worker.metrics.text().decode()
    finally:
        await worker.stop()


def _motion(home: Any, value: bool) -> None:
    home.hub.adapters["sim"].inject("entrance_motion", {"motion": value})


def _collect(into: list[dict[str, object]]) -> object:
    async def on_message(message: object) -> None:
        into.append(json.loads(message.data))  # type: ignore[attr-defined]

    return on_message


async def _until_state(client: NATS, home: str, brightness: int) -> None:
    for _ in range(100):
        state = await ask(client, Request(uuid.uuid4().hex, home, OWNER, "state"))
        if state is not None and state.result["study_light"].get("brightness") == brightness:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{home} never reached brightness {brightness}")


async def _brightness_history(url: str, home: str) -> list[int]:
    engine = create_engine(database_url(url))
    try:
        return await brightness_changes(engine, home, "study_light")
    finally:
        await engine.dispose()


async def _claim(url: str, home: str, request_id: str) -> None:
    engine = create_engine(database_url(url))
    pool = await claims_pool(database_url(url))
    try:
        assert await Replies(engine).claim(pool, home, request_id) is None
    finally:
        await pool.close()
        await engine.dispose()


async def _audit_rows(url: str, home: str, request_id: str) -> int:
    engine = create_engine(database_url(url))
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                sa.text("SELECT count(*) FROM audit_log WHERE home_id = :home AND detail->>'request' = :id"),
                {"home": home, "id": request_id},
            )
    finally:
        await engine.dispose()
    return int(count or 0)


async def test_the_metrics_count_homes_requests_leases_and_duplicates(worker: Worker, client: NATS) -> None:
    home = _home()
    request = Request(uuid.uuid4().hex, home, OWNER, "command", _bright(21))
    for _ in range(2):
        await ask(client, request, try_s=20)  # sent once each: no retry to count
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(worker.metrics.text().decode())
        for sample in family.samples
    }
    w1 = ("worker", "w1")
    assert samples[("jibsa_worker_homes", (w1,))] == len(worker.cell.homes) >= 1
    assert samples[("jibsa_worker_requests_total", (("kind", "command"), ("ok", "true"), w1))] == 2
    assert samples[("jibsa_worker_duplicates_total", (w1,))] == 1
    assert samples[("jibsa_worker_shards", (w1,))] == SHARDS
    assert samples[("jibsa_worker_lease_changes_total", (w1,))] == SHARDS
    assert samples[("jibsa_worker_request_seconds_count", (("kind", "command"), w1))] == 2
    health = worker.health()
    assert health["ok"] is True and health["shards"] == list(range(SHARDS))


async def test_a_simulated_fleet_makes_device_events_when_ordered(worker: Worker, client: NATS) -> None:
    home = _home()
    await ask(client, Request(uuid.uuid4().hex, home, OWNER, "state"))
    got: list[dict[str, Any]] = []
    await client.subscribe(event_subject(home), cb=_collect(got))
    await client.request(watch_subject(home), b"", timeout=5)

    def motions() -> list[dict[str, Any]]:
        return [e["event"] for e in got if e["event"].get("device") == "entrance_motion"]

    await client.publish(SIMULATED_EVENTS, b'{"per_home_s": 20}')
    await _until(lambda: len(motions()) >= 3)
    assert all(event["type"] == "state_changed" and "motion" in event["changed"] for event in motions())
    await client.publish(SIMULATED_EVENTS, b'{"per_home_s": 0}')
    await _until(lambda: worker.health()["simulated_events"]["per_home_s"] == 0)
    assert worker.health()["simulated_events"]["made"] >= 3


def test_a_simulated_fleet_ignores_an_order_it_cannot_read() -> None:
    events = SimulatedEvents(dict)
    for bad in (b"not json", b"[]", b'{"per_home_s": "many"}', b"{}"):
        events.order(bad)
        assert events.per_home_s == 0.0
    events.order(b'{"per_home_s": 1e9}')
    assert events.per_home_s == MAX_PER_HOME_S
