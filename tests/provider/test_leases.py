"""Shard leases over a real nats-server's KV bucket: a late renewal that succeeds keeps its shard, a shard
someone else took is dropped without touching their key, a returning worker gets its shards back only once
it has been seen for a TTL (not back and forth), and a worker whose event loop is blocked keeps its leases
because they are renewed on a thread of their own. Pinned by who holds what and by counts, not by timing."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest
from nats.aio.client import Client as NATS
from nats.js.api import KeyValueConfig
from nats.js.kv import KeyValue
from prometheus_client.parser import text_string_to_metric_families

from jibsa.provider.leases import Leases, preferred_worker
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS
from jibsa.provider.worker import LEASES, Worker
from jibsa.testing.nats_server import NatsServer

SAMPLE_HOME = Path(__file__).parents[2] / "src" / "jibsa" / "data" / "sample_home.yaml"
SHARD_COUNT = 8
KV_TTL_S = 60.0  # the bucket's own expiry: longer than any test, so only the fake clock moves


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _Shards:
    """A worker's side of the leases: which shards it serves, as the lease keeper tells it."""

    def __init__(self) -> None:
        self.serving: set[int] = set()
        self.lost: list[int] = []

    async def gained(self, shard: int) -> None:
        self.serving.add(shard)

    async def dropped(self, shard: int) -> None:
        self.serving.discard(shard)
        self.lost.append(shard)


@pytest.fixture
async def kv(client: NATS) -> KeyValue:
    bucket = f"leases_{uuid.uuid4().hex[:8]}"
    return await client.jetstream().create_key_value(KeyValueConfig(bucket=bucket, ttl=KV_TTL_S))


def _leases(kv: KeyValue, name: str, clock: _Clock, shards: _Shards, ttl: float = 6.0) -> Leases:
    return Leases(kv, name, SHARD_COUNT, ttl, gained=shards.gained, lost=shards.dropped, clock=clock)


async def _holder(kv: KeyValue, shard: int) -> bytes | None:
    return (await kv.get(f"shard.{shard}")).value


async def test_a_late_renewal_that_succeeds_keeps_the_shard_and_a_taken_shard_is_dropped(kv: KeyValue) -> None:
    clock, side = _Clock(), _Shards()
    leases = _leases(kv, "a", clock, side)
    await leases.round()
    await leases.settled()
    assert side.serving == set(range(SHARD_COUNT)) and leases.changes == SHARD_COUNT
    clock.now += 6.0 * 0.9  # the next round comes late: the leases may not be served meanwhile
    assert not any(leases.serving(s) for s in range(SHARD_COUNT))
    await leases.round()
    await leases.settled()
    assert all(leases.serving(s) for s in range(SHARD_COUNT))
    assert (leases.late, leases.changes, side.lost) == (SHARD_COUNT, SHARD_COUNT, [])
    # Shard 0's key expired and another worker took it: the next renewal fails, shard 0 is no longer served,
    # and its key stays the other worker's.
    await kv.purge("shard.0")
    await kv.create("shard.0", b"b")
    await leases.round()
    await leases.settled()
    assert side.lost == [0] and 0 not in side.serving and leases.shards == list(range(1, SHARD_COUNT))
    assert await _holder(kv, 0) == b"b"
    assert leases.changes == SHARD_COUNT + 1


async def test_a_returning_worker_gets_its_shards_once_it_has_been_seen_for_a_ttl(kv: KeyValue) -> None:
    clock, side_a, side_b = _Clock(), _Shards(), _Shards()
    a, b = _leases(kv, "a", clock, side_a), _leases(kv, "b", clock, side_b)
    await a.round()  # b not running: a holds every shard
    await b.round()  # b is back: it may take nothing a holds
    await a.round()
    await a.settled()
    await b.settled()
    assert side_a.serving == set(range(SHARD_COUNT)) and side_b.serving == set()
    clock.now += 6.0  # b has been seen for a TTL: a hands b's shards back, and b takes them
    await a.round()
    await a.settled()
    await b.round()
    await b.settled()
    b_shards = {s for s in range(SHARD_COUNT) if preferred_worker(s, ["a", "b"]) == "b"}
    assert b_shards and side_b.serving == b_shards and side_a.serving == set(range(SHARD_COUNT)) - b_shards
    assert [await _holder(kv, s) for s in sorted(b_shards)] == [b"b"] * len(b_shards)
    assert (a.changes, b.changes) == (SHARD_COUNT + len(b_shards), len(b_shards))


async def test_a_worker_whose_event_loop_is_blocked_keeps_its_leases(
    nats_server: NatsServer, database_url: str, client: NATS
) -> None:
    ttl = 2.0
    settings = ProviderSettings(
        nats_url=nats_server.url, database_url=database_url, lease_ttl_s=ttl, worker="blocked",
        home_template=str(SAMPLE_HOME),
    )  # fmt: skip
    worker = Worker(settings)
    await worker.start()
    try:
        async with asyncio.timeout(30):
            while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (the lease thread's rounds: no event to await)
                await asyncio.sleep(0.05)
        kv = await client.jetstream().key_value(LEASES)
        before = {s: (await kv.get(f"shard.{s}")).revision for s in range(SHARDS)}
        changes = _lease_changes(worker)
        # The worker's loop (this test's) does nothing for 2.5 TTLs: the keys would expire unless renewed.
        time.sleep(ttl * 2.5)  # noqa: ASYNC251  (blocking the loop is what this test is about)
        after = {s: await kv.get(f"shard.{s}") for s in range(SHARDS)}
        assert {e.value for e in after.values()} == {b"blocked"}
        assert all(after[s].revision > before[s] for s in range(SHARDS)), "not renewed while the loop was blocked"
        assert worker.shards == list(range(SHARDS)) and _lease_changes(worker) == changes
    finally:
        await worker.stop()


def _lease_changes(worker: Worker) -> float:
    for family in text_string_to_metric_families(worker.metrics.text().decode()):
        for sample in family.samples:
            if sample.name == "jibsa_worker_lease_changes_total":
                return sample.value
    return 0.0
