"""Homes that open together have their rows read in one batch (`prefetch.PrefetchingStore`) and their
home files in one query (`HomeRows.prefetch`): each home still gets exactly its own rows, and homes made
from one template share a parser while a home with other device names gets its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Role
from jibsa.home_file import sample_home_text
from jibsa.hub.adoption import ADOPTED_LIST
from jibsa.hub.store import PendingJob
from jibsa.provider.home_data import generated_homes, home_from_file, import_homes
from jibsa.provider.journal import Journal
from jibsa.provider.load import ask
from jibsa.provider.prefetch import PrefetchingStore
from jibsa.provider.replies import Replies, libpq_url
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS
from jibsa.provider.wire import Asker, Request
from jibsa.provider.worker import Worker
from jibsa.storage import open_store
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres
OWNER = Asker("엄마", Role.OWNER, "http")
T0 = 1_765_000_000.0
_NAMED = sample_home_text().replace("name: 서재 조명", "name: 독서등")  # one device named otherwise


@pytest.fixture
async def prefetching(provider_db: AsyncEngine) -> AsyncIterator[PrefetchingStore]:
    await Replies(provider_db).create_table()
    journal = Journal(libpq_url(provider_db.url), linger_s=0.05)
    await journal.start()
    yield PrefetchingStore(provider_db, journal)
    await journal.stop()


async def _write_rows(url: str) -> None:
    """Two homes' states, adopted devices, jobs and rules, written as `jibsa serve` writes them."""
    async with await open_store(url) as store:
        for home, n in (("h_a", 1), ("h_b", 2)):
            await store.save_states(home, [(f"lamp_{n}", {}, {"power": True, "brightness": 10 * n}, T0)])
            await store.save_states(home, [("shared", {}, {"power": n == 1}, T0)])
            await store.add_list_item(home, ADOPTED_LIST, f"plug_{n}")
            await store.add_list_item(home, "shopping", "milk")
            job = PendingJob(f"job_{n}", "command", T0 + n, {"intent": "turn_on", "targets": [f"lamp_{n}"]})
            await store.save_job(home, job)
            await store.save_rule(home, f"rule_{n}", {"name": f"rule {n}"})


async def test_a_batch_reads_each_home_exactly_its_own_rows(prefetching: PrefetchingStore, provider_url: str) -> None:
    await _write_rows(provider_url)
    direct = {}
    for home in ("h_a", "h_b", "h_none"):
        direct[home] = (
            await prefetching.load_states(home), await prefetching.list_items(home, ADOPTED_LIST),
            await prefetching.load_jobs(home), await prefetching.load_rules(home),
        )  # fmt: skip
    await prefetching.prefetch(["h_a", "h_b", "h_none"])
    assert all(prefetching.prefetched(h) for h in ("h_a", "h_b", "h_none"))
    for home in ("h_a", "h_b", "h_none"):
        batched = (
            await prefetching.load_states(home), await prefetching.list_items(home, ADOPTED_LIST),
            await prefetching.load_jobs(home), await prefetching.load_rules(home),
        )  # fmt: skip
        assert batched == direct[home]
    assert direct["h_a"][0] == {"lamp_1": {"power": True, "brightness": 10}, "shared": {"power": True}}
    assert direct["h_b"][1] == ["plug_2"] and [j.id for j in direct["h_b"][2]] == ["job_2"]
    assert direct["h_none"] == ({}, [], [], [])
    assert await prefetching.list_items("h_a", "shopping") == ["milk"]  # other lists: from the database
    # A copy each time: what a home changes in what it read is not what the next reader gets.
    (await prefetching.load_states("h_a"))["lamp_1"]["power"] = False
    assert (await prefetching.load_states("h_a"))["lamp_1"]["power"] is True


async def test_once_forgotten_a_home_reads_the_database_again(prefetching: PrefetchingStore, provider_url: str) -> None:
    await _write_rows(provider_url)
    await prefetching.prefetch(["h_a"])
    async with await open_store(provider_url) as store:
        await store.save_rule("h_a", "rule_new", {"name": "new"})
    assert [r.id for r in await prefetching.load_rules("h_a")] == ["rule_1"]  # the batch, read before
    prefetching.forget("h_a")
    assert not prefetching.prefetched("h_a")
    assert [r.id for r in await prefetching.load_rules("h_a")] == ["rule_1", "rule_new"]


@pytest.fixture
async def imported(provider_db: AsyncEngine) -> AsyncEngine:
    template = home_from_file(sample_home_text(), "sample")
    await import_homes(provider_db, generated_homes(template, 3, prefix="t_"))
    await import_homes(provider_db, [home_from_file(_NAMED, "named.yaml", "named_home")])
    return provider_db


@asynccontextmanager
async def _worker(provider_url: str, nats_server: NatsServer) -> AsyncIterator[Worker]:
    settings = ProviderSettings(nats_url=nats_server.url, database_url=provider_url, lease_ttl_s=3.0, worker="pf")
    running = Worker(settings)
    await running.start()
    try:
        async with asyncio.timeout(30):
            while len(running.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
                await asyncio.sleep(0.05)
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def worker(imported: AsyncEngine, provider_url: str, nats_server: NatsServer) -> AsyncIterator[Worker]:
    async with _worker(provider_url, nats_server) as running:
        yield running


async def test_homes_with_work_open_together_when_their_shards_are_taken(
    imported: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    async with await open_store(provider_url) as store:
        later = PendingJob("later", "command", T0 + 10**8, {"intent": "turn_on", "targets": ["study_light"]})
        await store.save_job("t_00000", later)
        await store.save_job("named_home", later)
    async with _worker(provider_url, nats_server) as running:
        async with asyncio.timeout(30):
            while len(running.cell.homes) < 2:  # noqa: ASYNC110  (they open in the background)
                await asyncio.sleep(0.05)
        assert sorted(running.cell.homes) == ["named_home", "t_00000"]
        assert [j.id for j in running.cell.homes["named_home"].hub.scheduler.pending()] == ["later"]


async def test_homes_opened_together_keep_their_own_devices_names_and_states(
    worker: Worker, nats_server: NatsServer
) -> None:
    homes = ("t_00000", "t_00001", "t_00002", "named_home")
    client = await nats.connect(nats_server.url)
    try:
        said = await ask(client, Request(uuid.uuid4().hex, "t_00001", OWNER, "say", {"text": "서재 조명 켜줘"}))
        assert said is not None and said.ok
        await worker.cell.close("t_00001")  # its state is in the database; it opens again below, with the others
        await asyncio.gather(*(worker.cell.home(h) for h in homes))
        for home in homes:  # "독서등" is a name only the named home has
            await ask(client, Request(uuid.uuid4().hex, home, OWNER, "say", {"text": "독서등 켜줘"}))
        states = {h: await ask(client, Request(uuid.uuid4().hex, h, OWNER, "state")) for h in homes}
    finally:
        await client.close()
    lit = {h: reply.result["study_light"]["power"] for h, reply in states.items() if reply is not None}
    assert lit == {"t_00000": False, "t_00001": True, "t_00002": False, "named_home": True}
    cell = worker.cell.homes
    assert cell["t_00000"].hub.home.devices is cell["t_00002"].hub.home.devices  # twins share the parsed home
    assert cell["named_home"].hub.home.device("study_light").name == "독서등"
    assert cell["t_00000"].hub.home.device("study_light").name == "서재 조명"
