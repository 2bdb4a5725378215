"""Claims made together (`jibsa.provider.replies.ClaimBatches`) on a real provider database: claims asked at
the same time are made in one statement, and each is told what a claim alone would have been told."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.replies import ClaimBatches, Claimed, Replies, claims_pool
from jibsa.provider.wire import Reply

pytestmark = pytest.mark.postgres
DONE = Reply(True, {"said": "했어요"})
NOT_NOW = Reply(False, code="temporarily_unavailable", message="try again shortly")


@pytest.fixture
async def pool(provider_db: AsyncEngine) -> AsyncIterator[asyncpg.Pool]:
    await Replies(provider_db).create_table()
    claims = await claims_pool(provider_db.url)
    try:
        yield claims
    finally:
        await claims.close()


async def _answered(engine: AsyncEngine, home: str, request: str, reply: Reply) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE provider_replies SET reply = CAST(:reply AS jsonb) WHERE home_id = :h AND request_id = :r"),
            {"reply": reply.to_bytes().decode(), "h": home, "r": request},
        )


async def test_claims_asked_together_are_one_statement_each_told_as_if_alone(
    provider_db: AsyncEngine, pool: asyncpg.Pool
) -> None:
    replies = Replies(provider_db)
    assert await replies.claim(pool, "h-a", "answered") is None
    await _answered(provider_db, "h-a", "answered", DONE)
    assert await replies.claim(pool, "h-a", "claimed") is None  # claimed, never answered
    assert await replies.refuse(pool, "h-b", "refused", NOT_NOW) is None
    assert await replies.refuse(pool, "h-c", "refused", NOT_NOW) is None
    batches = ClaimBatches(replies, pool)
    answered, claimed, new, retried, replayed, *bulk = await asyncio.gather(
        batches.claim("h-a", "answered"),
        batches.claim("h-a", "claimed"),
        batches.claim("h-a", "new"),
        batches.claim("h-b", "refused", live=True),  # its sender tries again: carried out afresh
        batches.claim("h-c", "refused", live=False),  # the stream's copy: not carried out
        *(batches.claim(f"h-{i}", "answered") for i in range(20)),  # the same id in other homes: other requests
    )
    assert batches.batches == 1
    assert answered == Claimed(DONE)
    assert claimed == Claimed(None)
    assert new is None and retried is None and bulk == [None] * 20
    assert replayed is not None and replayed.refused and replayed.reply == NOT_NOW
    again = await asyncio.gather(batches.claim("h-a", "new"), batches.claim("h-b", "refused", live=False))
    assert again == [Claimed(None), Claimed(None)]  # claimed by the batch before (the refusal taken over)
    assert batches.batches == 2


async def test_the_same_request_asked_twice_at_once_is_claimed_once(
    provider_db: AsyncEngine, pool: asyncpg.Pool
) -> None:
    batches = ClaimBatches(Replies(provider_db), pool)
    first, second = await asyncio.gather(batches.claim("h-a", "r1"), batches.claim("h-a", "r1"))
    assert first is None and second == Claimed(None)
    async with provider_db.connect() as connection:
        rows = await connection.scalar(sa.text("SELECT count(*) FROM provider_replies WHERE request_id = 'r1'"))
    assert rows == 1


async def test_a_batch_the_database_refuses_fails_each_of_its_claims_and_the_next_batch_works(
    provider_db: AsyncEngine, pool: asyncpg.Pool
) -> None:
    batches = ClaimBatches(Replies(provider_db), pool)
    too_long = "x" * 300  # request ids are at most 128 characters: the whole statement fails
    outcomes = await asyncio.gather(batches.claim("h-a", too_long), batches.claim("h-a", "ok"), return_exceptions=True)
    assert all(isinstance(o, asyncpg.PostgresError) for o in outcomes)
    assert await batches.claim("h-a", "ok") is None
