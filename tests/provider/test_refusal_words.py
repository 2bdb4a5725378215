"""What a person or an integrator reads when a home's worker refuses: the worker's stable code, and its
reason from the words catalogue, in Korean unless the request prefers English; never the worker's
English log line. Through a real gateway, a real worker, nats-server and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from gateway_support import RunningGateway, running_gateway
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.client_language import client_language
from jibsa.provider.database import homes
from jibsa.provider.gateway import refusal_detail
from jibsa.provider.replies import INTERRUPTED
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import SHARDS
from jibsa.provider.wire import BadRequest, Reply, Request
from jibsa.provider.worker import Worker
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres

_HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
async def gateway_before_a_worker(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> AsyncIterator[RunningGateway]:
    """A worker holding every shard, reading homes from the homes table (as deployed), behind a gateway."""
    settings = ProviderSettings(nats_url=nats_server.url, database_url=provider_url, lease_ttl_s=3.0, worker="w1")
    worker = Worker(settings)
    await worker.start()
    try:
        async with asyncio.timeout(30):
            while len(worker.shards) < SHARDS:  # noqa: ASYNC110  (leases are taken in the worker's rounds)
                await asyncio.sleep(0.05)
        async with running_gateway(
            provider_db, provider_url, nats_server.url, stand_in=False, request_timeout_s=10
        ) as gateway:
            yield gateway
    finally:
        await worker.stop()


async def _state(gateway: RunningGateway, home: str, **headers: str) -> httpx.Response:
    headers["Authorization"] = f"Bearer {gateway.tokens[home]}"
    async with httpx.AsyncClient(base_url=gateway.base, headers=headers, timeout=20) as client:
        return await client.get("/api/state")


async def test_a_workers_refusal_reads_in_korean_by_default_and_in_english_when_asked(
    gateway_before_a_worker: RunningGateway, provider_db: AsyncEngine
) -> None:
    gateway = gateway_before_a_worker
    async with provider_db.begin() as connection:  # its accounts stay; the worker finds no home to open
        await connection.execute(sa.delete(homes).where(homes.c.id == "h_c"))
    korean = await _state(gateway, "h_c")
    assert korean.status_code == 404, korean.text
    body = korean.json()
    assert body["code"] == "not_found"
    assert body["detail"] == {"code": "not_found", "reason": "'h_c' 집이 없어요"}
    english = await _state(gateway, "h_c", **{"Accept-Language": "en-GB,en;q=0.9,ko;q=0.5"})
    assert english.status_code == 404
    assert english.json()["detail"] == {"code": "not_found", "reason": "no home 'h_c'"}
    still_korean = await _state(gateway, "h_c", **{"Accept-Language": "ko-KR,en;q=0.8"})
    assert still_korean.json()["detail"]["reason"] == "'h_c' 집이 없어요"


def test_a_refusal_keeps_its_fact_on_the_wire_and_its_english_for_logs() -> None:
    refused = Reply.refusal("not_found", "reply_no_home", home="h_1")
    again = Reply.from_bytes(refused.to_bytes())
    assert again == refused and again.message == "no home 'h_1'"
    assert refusal_detail(again, "ko") == {"code": "not_found", "reason": "'h_1' 집이 없어요"}
    assert refusal_detail(Reply.from_bytes(INTERRUPTED.to_bytes()), "ko")["code"] == "interrupted"
    assert _HANGUL.search(refusal_detail(INTERRUPTED, "ko")["reason"])


def test_a_refusal_without_words_shows_its_code_and_no_english_sentence() -> None:
    """A worker of an older jibsa (or a refusal nobody worded) sends English only: the client is not shown
    it; a code the catalogue knows is worded from it."""
    old = Reply(False, code="bad_request", message="principal.via must be one of ['cli', 'http']")
    assert refusal_detail(old, "ko") == {"code": "bad_request"}
    older_interrupted = Reply(False, code="interrupted", message="the worker stopped while carrying this out")
    assert _HANGUL.search(refusal_detail(older_interrupted, "ko")["reason"])
    assert refusal_detail(older_interrupted, "en")["reason"].startswith("the server stopped")


def test_a_request_the_worker_cannot_read_is_told_from_the_catalogue() -> None:
    with pytest.raises(BadRequest) as raised:
        Request.from_bytes(b'{"id": "r", "home": "h", "principal": {"role": "root"}, "kind": "say"}')
    reply = Reply.told("bad_request", raised.value.said)
    assert "principal.role" in refusal_detail(reply, "ko")["reason"]
    assert _HANGUL.search(refusal_detail(reply, "ko")["reason"])
    assert "must be one of" in refusal_detail(reply, "en")["reason"]


@pytest.mark.parametrize(
    ("header", "language"),
    [("", "ko"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("ko,en;q=0.9", "ko"), ("fr,en;q=0.5", "en"),
     ("en;q=0.2,ko;q=0.8", "ko"), ("en;q=x", "ko"), ("de", "ko"), ("*", "ko")],
)  # fmt: skip
def test_the_clients_language_is_korean_unless_english_is_preferred(header: str, language: str) -> None:
    assert client_language({"accept-language": header}) == language
