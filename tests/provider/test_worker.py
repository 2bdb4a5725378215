"""A worker hosting many homes, over a real nats-server and PostgreSQL: requests answered through each
home's gate, a request id applied once however often it comes, requests that reached no worker replayed
from the stream, and events on the home's own subject."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import nats
import pytest
import sqlalchemy as sa
from nats.aio.client import Client as NATS

from jibsa.domain import Role
from jibsa.provider.load import ask
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, command_subject, event_subject
from jibsa.provider.wire import Asker, Reply, Request
from jibsa.provider.worker import Worker
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


@pytest.fixture
async def client(nats_server: NatsServer) -> AsyncIterator[NATS]:
    connection = await nats.connect(nats_server.url)
    yield connection
    await connection.close()


class _SampleHomes:
    """The built-in sample home under any id (the template source, without a file)."""

    def __init__(self) -> None:
        from jibsa.home_file import load_home

        self._home = load_home(None).home

    def home(self, home_id: str) -> tuple[object, str]:
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
    await ask(client, Request(uuid.uuid4().hex, mine, OWNER, "command", _bright(71)))
    await _until(lambda: any(e["event"].get("type") == "state_changed" for e in got[mine]))  # type: ignore[union-attr]
    await asyncio.sleep(0.2)
    assert got[other] == []


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
