"""The gateway in front of a real worker (not a stand-in): home A's token naming home B's device reaches
home A's worker-side home, which does not have it, and home B's device does not move."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from gateway_support import RunningGateway, running_gateway
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect

from jibsa.domain import Home
from jibsa.home_file import load_home
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, checked_home_id
from jibsa.provider.worker import Worker
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres


class _HomesWithAnExtraLampInB:
    """The sample home under each id; home h_b has one more lamp, `b_lamp`, that no other home has."""

    def __init__(self) -> None:
        self._sample = load_home(None).home
        ceiling = self._sample.device("living_ceiling")
        assert ceiling is not None
        self._b_lamp = replace(ceiling, id="b_lamp", name="비밀 조명", aliases=())

    async def home(self, home_id: str) -> tuple[Home, str]:
        home = replace(self._sample, id=checked_home_id(home_id))
        if home_id == "h_b":
            return replace(home, devices=(*home.devices, self._b_lamp)), "b"
        return home, "sample"


@contextlib.asynccontextmanager
async def _worker_and_gateway(
    provider_db: AsyncEngine, provider_url: str, nats_url: str, **watching: float
) -> AsyncIterator[tuple[RunningGateway, Worker]]:
    """A worker holding every shard (the sample homes, h_b with an extra lamp) and a gateway in front of it;
    `watching` (events_watch_s) set for both."""
    settings = ProviderSettings(nats_url=nats_url, database_url=provider_url, lease_ttl_s=3.0, worker="w1", **watching)
    worker = Worker(settings, source=_HomesWithAnExtraLampInB())
    await worker.start()
    try:
        async with asyncio.timeout(30):
            while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
                await asyncio.sleep(0.05)
        async with running_gateway(
            provider_db, provider_url, nats_url, stand_in=False, request_timeout_s=10, **watching
        ) as gw:
            yield gw, worker
    finally:
        await worker.stop()


@pytest.fixture
async def gateway_and_worker(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> AsyncIterator[RunningGateway]:
    async with _worker_and_gateway(provider_db, provider_url, nats_server.url) as (gw, _):
        yield gw


def _client(gateway: RunningGateway, home: str) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {gateway.tokens[home]}"}
    return httpx.AsyncClient(base_url=gateway.base, headers=headers, timeout=20)


async def _state_of_b(gateway: RunningGateway) -> Any:
    async with _client(gateway, "h_b") as b:
        state = await b.get("/api/state")
    assert state.status_code == 200, state.text
    return state.json()


async def test_a_token_of_home_a_cannot_move_home_bs_device_through_a_real_worker(
    gateway_and_worker: RunningGateway,
) -> None:
    gateway = gateway_and_worker
    before = await _state_of_b(gateway)
    async with _client(gateway, "h_a") as a:
        command = await a.post("/api/command", json={"intent": "turn_on", "targets": ["b_lamp"]})
        said = await a.post("/api/say", json={"text": "비밀 조명 켜줘"})
        own = await a.post("/api/command", json={"intent": "turn_on", "targets": ["living_ceiling"]})
        state_a = (await a.get("/api/state")).json()
    assert command.json()["ok"] is False
    assert [r["error"] for r in command.json()["results"]] == ["unknown_device"]
    assert "b_lamp" not in state_a and "비밀 조명" not in said.text
    assert own.json()["ok"] is True and state_a["living_ceiling"] != before["living_ceiling"]
    assert await _state_of_b(gateway) == before  # neither B's lamp nor B's ceiling moved


def _rule(when_device: str, do_device: str) -> dict[str, Any]:
    rule = {"name": "불 따라 켜기", "when": {"kind": "state", "device": when_device, "property": "power", "to": True},
            "do": [{"kind": "command", "intent": "turn_on", "targets": [do_device]}]}  # fmt: skip
    return {"intent": "add_rule", "params": {"rule": rule}}


async def test_a_rule_naming_another_homes_device_is_refused_and_moves_nothing_there(
    gateway_and_worker: RunningGateway,
) -> None:
    gateway = gateway_and_worker
    before = await _state_of_b(gateway)
    async with _client(gateway, "h_a") as a:
        watching_b = await a.post("/api/command", json=_rule("b_lamp", "living_ceiling"))
        moving_b = await a.post("/api/command", json=_rule("living_stand", "b_lamp"))
        own = await a.post("/api/command", json=_rule("living_stand", "living_ceiling"))
        switched = await a.post("/api/command", json={"intent": "turn_on", "targets": ["living_stand"]})
        async with asyncio.timeout(10):  # the rule acts on the state change, after the command's reply
            while not (state_a := (await a.get("/api/state")).json())["living_ceiling"]["power"]:  # noqa: ASYNC110  (polled over HTTP, as a client would)
                await asyncio.sleep(0.1)
    for refused in (watching_b, moving_b):
        assert refused.json()["ok"] is False, refused.text
        assert refused.json()["error"] == "bad_rule" and "b_lamp" in refused.json()["answer"]["problem"]
    assert own.json()["ok"] is True and switched.json()["ok"] is True
    assert state_a["living_ceiling"]["power"] is True  # home A's own rule ran, in home A
    assert "b_lamp" not in state_a
    assert await _state_of_b(gateway) == before  # nothing of B moved, its lamp least of all


WATCH_S = 1.5  # how long a worker publishes a home's events after a gateway last said it is watched


@pytest.fixture
async def watching_gateway(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> AsyncIterator[tuple[RunningGateway, Worker]]:
    async with _worker_and_gateway(provider_db, provider_url, nats_server.url, events_watch_s=WATCH_S) as running:
        yield running


async def test_a_websocket_open_for_long_gets_its_homes_events_and_no_other_home_is_published(
    watching_gateway: tuple[RunningGateway, Worker],
) -> None:
    """A worker publishes only the events of homes a gateway says are watched: an open WebSocket keeps saying
    so, and gets its home's device events however long it stays open; a home nobody watches costs no message."""
    gateway, worker = watching_gateway
    ws = gateway.base.replace("http://", "ws://") + "/api/events"
    got: list[dict[str, Any]] = []
    async with _client(gateway, "h_b") as b:
        assert (await b.get("/api/state")).status_code == 200  # home B open in the worker, nobody watching it
    async with connect(f"{ws}?token={gateway.tokens['h_a']}") as socket:
        reading = asyncio.create_task(_read_into(socket, got))
        await asyncio.sleep(2 * WATCH_S)  # past the shards' first while, and past one watch without a renewal
        unwatched = worker.events_unwatched
        async with _client(gateway, "h_a") as a, _client(gateway, "h_b") as b:
            for client in (a, b):
                done = await client.post("/api/command", json={"intent": "turn_on", "targets": ["living_ceiling"]})
                assert done.status_code == 200, done.text
            async with asyncio.timeout(10):
                while not any(e.get("device") == "living_ceiling" for e in got):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        reading.cancel()
    assert worker.events_unwatched > unwatched  # home B's light changed: not published, nobody watched it
    assert all(e.get("device") != "b_lamp" for e in got)


async def _read_into(socket: Any, got: list[dict[str, Any]]) -> None:
    async for message in socket:
        got.append(json.loads(message))
