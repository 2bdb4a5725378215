"""The gateway in front of a real worker (not a stand-in): home A's token naming home B's device reaches
home A's worker-side home, which does not have it, and home B's device does not move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from gateway_support import RunningGateway, running_gateway
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Home
from jibsa.home_file import load_home
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, checked_home_id
from jibsa.provider.worker import Worker

pytestmark = pytest.mark.postgres


class _HomesWithAnExtraLampInB:
    """The sample home under each id; home h_b has one more lamp, `b_lamp`, that no other home has."""

    def __init__(self) -> None:
        self._sample = load_home(None).home
        ceiling = self._sample.device("living_ceiling")
        assert ceiling is not None
        self._b_lamp = replace(ceiling, id="b_lamp", name="비밀 조명", aliases=())

    def home(self, home_id: str) -> tuple[Home, str]:
        home = replace(self._sample, id=checked_home_id(home_id))
        if home_id == "h_b":
            return replace(home, devices=(*home.devices, self._b_lamp)), "b"
        return home, "sample"


@pytest.fixture
async def gateway_and_worker(
    provider_db: AsyncEngine, provider_url: str, nats_url: str
) -> AsyncIterator[RunningGateway]:
    settings = ProviderSettings(nats_url=nats_url, database_url=provider_url, lease_ttl_s=3.0, worker="w1")
    worker = Worker(settings, source=_HomesWithAnExtraLampInB())
    await worker.start()
    try:
        async with asyncio.timeout(30):
            while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
                await asyncio.sleep(0.05)
        async with running_gateway(provider_db, provider_url, nats_url, stand_in=False, request_timeout_s=10) as gw:
            yield gw
    finally:
        await worker.stop()


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
