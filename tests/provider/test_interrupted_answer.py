"""A request claimed by a worker that died before carrying it out (its claim kept, no reply) is answered
"interrupted" by the shard's next owner as soon as it replays the request, on the inbox its sender waits on
(`Jibsa-Reply-To`); it is not carried out again. Before, the sender heard nothing until its own wait ended.
A real nats-server and PostgreSQL, real workers."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace

import asyncpg
import pytest
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from jibsa.domain import Role
from jibsa.provider.replies import Replies, claims_pool
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS, command_subject
from jibsa.provider.wire import ANSWERS, REPLY_TO, Asker, Reply, Request, stream_once
from jibsa.provider.worker import Worker
from jibsa.storage.engine import create_engine
from jibsa.storage.engine import database_url as engine_url
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres


async def _all_shards(worker: Worker) -> None:
    async with asyncio.timeout(30):
        while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
            await asyncio.sleep(0.05)


async def test_a_request_claimed_by_a_dead_worker_is_answered_interrupted_at_the_takeover(
    provider_url: str, nats_server: NatsServer, client: NATS
) -> None:
    settings = ProviderSettings(nats_url=nats_server.url, database_url=provider_url, lease_ttl_s=3.0, worker="w1")
    first = Worker(settings)  # makes the stream, the shards' consumers and the claims table, then goes
    await first.start()
    await _all_shards(first)
    await first.stop()

    home, request_id = "h_dead", uuid.uuid4().hex
    engine = create_engine(engine_url(provider_url))
    pool: asyncpg.Pool = await claims_pool(engine.url)
    try:
        assert await Replies(engine).claim(pool, home, request_id) is None  # the dead worker's claim
    finally:
        await pool.close()
        await engine.dispose()

    inbox = client.new_inbox()
    answers: asyncio.Queue[Msg] = asyncio.Queue()
    await client.subscribe(inbox, cb=answers.put)
    command = {"intent": "set", "targets": ["living_ceiling"], "params": {"property": "power", "value": "on"}}
    request = Request(request_id, home, Asker("민지", Role.OWNER, "http"), "command", command)
    headers = {**stream_once(home, request_id), REPLY_TO: inbox}
    await client.publish(command_subject(home), request.to_bytes(), headers=headers)  # kept by the stream
    await client.flush()

    second = Worker(replace(settings, worker="w2"))
    await second.start()
    try:
        answer = await asyncio.wait_for(answers.get(), 30)  # a bound, not a target
    finally:
        await second.stop()
    reply = Reply.from_bytes(answer.data)
    assert (reply.ok, reply.code) == (False, "interrupted")
    assert (answer.headers or {}).get(ANSWERS) == f"{home}/{request_id}"
    assert reply.said is not None and reply.said.key == "provider_errors.reply_interrupted"
