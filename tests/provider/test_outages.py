"""PostgreSQL away (down, or the network to it gone), its connections killed (pg_terminate_backend), and
NATS restarted, under a real gateway and worker: what cannot be done is answered plainly (503
`temporarily_unavailable` in Korean, or 504 `home_not_answering`), never 500; nothing acknowledged is
lost or applied twice (read from the light's state history); both recover once the part is back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import asyncpg
import httpx
import nats
import pytest
from gateway_support import RunningGateway, running_gateway
from history_support import brightness_changes
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from tcp_relay import TcpRelay

from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS
from jibsa.provider.worker import STREAM, Worker
from jibsa.testing.nats_server import NatsServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
LIGHT = "study_light"
AWAY = "지금은 처리할 수 없어요. 잠시 후에 다시 해 주세요."


@dataclass
class Deployment:
    gateway: RunningGateway
    worker: Worker
    to_gateway_db: TcpRelay  # the gateway's way to PostgreSQL
    to_worker_db: TcpRelay  # the worker's


@pytest.fixture
async def deployment(provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer) -> AsyncIterator[Deployment]:
    to_gateway, to_worker = await TcpRelay.to(provider_url).start(), await TcpRelay.to(provider_url).start()
    settings = ProviderSettings(
        nats_url=nats_server.url, database_url=to_worker.url(provider_url), lease_ttl_s=3.0, worker="w1"
    )
    worker = Worker(settings)  # the homes from the homes table, as imported below
    await worker.start()
    try:
        async with asyncio.timeout(30):
            while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
                await asyncio.sleep(0.05)
        database = to_gateway.url(provider_url)
        async with running_gateway(provider_db, database, nats_server.url, stand_in=False, request_timeout_s=3) as gw:
            yield Deployment(gw, worker, to_gateway, to_worker)
    finally:
        await worker.stop()
        await to_gateway.close()
        await to_worker.close()


def _client(gateway: RunningGateway, home: str) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {gateway.tokens[home]}"}
    return httpx.AsyncClient(base_url=gateway.base, headers=headers, timeout=20)


async def _set(client: httpx.AsyncClient, value: int, key: str | None = None) -> httpx.Response:
    body = {"intent": "set", "targets": [LIGHT], "params": {"property": "brightness", "value": value}}
    return await client.post("/api/command", json=body, headers={"Idempotency-Key": key or uuid.uuid4().hex})


async def _until_ok(send: Callable[[], Awaitable[httpx.Response]], within_s: float = 30.0) -> list[httpx.Response]:
    """Every answer to `send`, tried again each half second until one is 200."""
    answers: list[httpx.Response] = []
    async with asyncio.timeout(within_s):
        while not answers or answers[-1].status_code != 200:
            if answers:
                await asyncio.sleep(0.5)
            answers.append(await send())
    return answers


async def _stream_drained(nats_url: str, within_s: float = 60.0) -> None:
    """Until the worker has taken every request out of the stream (replayed, or acknowledged as answered):
    what a replay would carry out is in the history by then."""
    client = await nats.connect(nats_url)
    try:
        async with asyncio.timeout(within_s):
            while (await client.jetstream().stream_info(STREAM)).state.messages:  # noqa: ASYNC110  (no event for it)
                await asyncio.sleep(0.2)
    finally:
        await client.close()


def _told_to_try_again(response: httpx.Response) -> bool:
    body = response.json()
    return (response.status_code, body["code"], body["message"]) == (503, "temporarily_unavailable", AWAY) and int(
        response.headers["Retry-After"]
    ) > 0


async def test_postgresql_away_is_a_503_in_korean_and_both_recover_when_it_is_back(
    deployment: Deployment, provider_db: AsyncEngine, nats_server: NatsServer
) -> None:
    gateway = deployment.gateway
    async with _client(gateway, "h_a") as a, _client(gateway, "h_b") as b:
        assert (await _set(a, 11)).status_code == 200
        await deployment.to_worker_db.cut()
        unopened = await _set(b, 12)  # h_b is not open in the worker yet: opening it needs PostgreSQL
        running = await _set(a, 13)  # h_a is: claiming the request needs PostgreSQL
        assert _told_to_try_again(unopened), unopened.text
        assert _told_to_try_again(running), running.text
        await deployment.to_gateway_db.cut()
        async with _client(gateway, "h_c") as c:  # a token this gateway has not checked yet: PostgreSQL is asked
            me = await c.get("/api/me")
        remembered, health = await a.get("/api/me"), await a.get("/healthz")
        assert _told_to_try_again(me), me.text
        assert remembered.json()["home"] == "h_a"  # checked a moment ago: believed for token_cache_s
        assert (health.status_code, health.json()["database"]) == (503, False)
        await deployment.to_gateway_db.restore()
        await deployment.to_worker_db.restore()
        answers = await _until_ok(lambda: _set(a, 14, key="after-the-outage"))
        assert all(r.status_code in (200, 503) for r in answers), [r.text for r in answers]
        assert (await _until_ok(lambda: _set(b, 15)))[-1].status_code == 200
    await _stream_drained(nats_server.url)  # the stream's copies of 12 and 13 are not carried out later either
    sent = {11, 12, 13, 14, 15}
    # Acknowledged: kept, once. Refused: never applied.
    assert [v for v in await brightness_changes(provider_db, "h_a", LIGHT) if v in sent] == [11, 14]
    assert [v for v in await brightness_changes(provider_db, "h_b", LIGHT) if v in sent] == [15]


async def test_killed_connections_are_a_503_at_worst_and_nothing_acknowledged_is_lost(
    deployment: Deployment, provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    answers: dict[int, int] = {}
    async with _client(deployment.gateway, "h_a") as a:
        answers[21] = (await _set(a, 21)).status_code
        for value in (22, 23, 24, 25):
            await _terminate_connections(provider_url)  # the gateway's, the worker's store, claims and journal
            response = await _set(a, value)
            assert response.status_code in (200, 503), response.text
            answers[value] = response.status_code
        answers[26] = (await _until_ok(lambda: _set(a, 26)))[-1].status_code
    await _stream_drained(nats_server.url)
    assert answers[21] == answers[26] == 200
    history = [v for v in await brightness_changes(provider_db, "h_a", LIGHT) if v in answers]
    assert history == [value for value, status in answers.items() if status == 200], answers  # once each, in order


async def _terminate_connections(url: str) -> None:
    """pg_terminate_backend for every other connection to the test's database."""
    connection = await asyncpg.connect(make_url(url).render_as_string(hide_password=False))
    try:
        await connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()


async def test_a_nats_restart_is_told_plainly_and_the_home_answers_again_after(
    deployment: Deployment, nats_server: NatsServer, provider_db: AsyncEngine
) -> None:
    async with _client(deployment.gateway, "h_a") as a:
        assert (await _set(a, 31)).status_code == 200
        nats_server.kill()
        while_down = await _set(a, 32)
        health = await a.get("/healthz")
        assert while_down.status_code == 504 and while_down.json()["code"] == "home_not_answering", while_down.text
        assert (health.status_code, health.json()["nats"]) == (503, False)
        nats_server.start()  # the same port and JetStream store
        answers = await _until_ok(lambda: _set(a, 33, key="after-the-restart"))
        # Until the worker has renewed its leases over the new connection it answers "try again shortly" (503).
        assert all(r.status_code in (200, 504) or _told_to_try_again(r) for r in answers), [r.text for r in answers]
    history = await brightness_changes(provider_db, "h_a", LIGHT)
    assert history.count(31) == history.count(33) == 1 and history.count(32) <= 1, history
