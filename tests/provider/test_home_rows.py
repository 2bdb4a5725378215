"""A worker with no home files configured runs the homes `jibsa provider homes import` wrote to the
homes table, each with its own home file, and knows no other."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import nats
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Role
from jibsa.home_file import sample_home_text
from jibsa.provider.home_data import delete_home, generated_homes, home_from_file, import_homes
from jibsa.provider.home_rows import HomeRows
from jibsa.provider.homes import NoSuchHome
from jibsa.provider.load import ask
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS
from jibsa.provider.wire import Asker, Request
from jibsa.provider.worker import Worker
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres
OWNER = Asker("엄마", Role.OWNER, "http")
_RENAMED = sample_home_text().replace("study_light", "reading_lamp")


@pytest.fixture
async def imported(provider_db: AsyncEngine) -> AsyncEngine:
    template = home_from_file(sample_home_text(), "sample")
    await import_homes(provider_db, generated_homes(template, 2, prefix="t_"))
    await import_homes(provider_db, [home_from_file(_RENAMED, "renamed.yaml", "own_home")])
    return provider_db


async def test_homes_come_from_their_rows_and_twins_share_one_model(imported: AsyncEngine) -> None:
    rows = HomeRows(imported)
    first, key_1 = await rows.home("t_00000")
    second, key_2 = await rows.home("t_00001")
    own, key_3 = await rows.home("own_home")
    assert (first.id, second.id, own.id) == ("t_00000", "t_00001", "own_home")
    assert key_1 == key_2 != key_3 and first.devices is second.devices
    assert own.device("reading_lamp") is not None and own.device("study_light") is None
    with pytest.raises(NoSuchHome):
        await rows.home("t_00002")
    await delete_home(imported, "t_00001")
    with pytest.raises(NoSuchHome):
        await rows.home("t_00001")


@pytest.fixture
async def worker(imported: AsyncEngine, provider_url: str, nats_server: NatsServer) -> AsyncIterator[Worker]:
    settings = ProviderSettings(nats_url=nats_server.url, database_url=provider_url, lease_ttl_s=3.0, worker="rows")
    running = Worker(settings)  # no home_template, no homes_dir: the homes table
    await running.start()
    async with asyncio.timeout(30):
        while len(running.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
            await asyncio.sleep(0.05)
    yield running
    await running.stop()


async def test_a_worker_without_home_files_serves_the_imported_homes_only(
    worker: Worker, nats_server: NatsServer
) -> None:
    client = await nats.connect(nats_server.url)
    try:
        generated = await ask(client, Request(uuid.uuid4().hex, "t_00000", OWNER, "state"))
        own = await ask(client, Request(uuid.uuid4().hex, "own_home", OWNER, "state"))
        unknown = await ask(client, Request(uuid.uuid4().hex, "t_09999", OWNER, "state"))
    finally:
        await client.close()
    assert generated is not None and "study_light" in generated.result
    assert own is not None and "reading_lamp" in own.result and "study_light" not in own.result
    assert unknown is not None and (unknown.ok, unknown.code) == (False, "not_found")
    assert "t_09999" not in worker.cell.homes
