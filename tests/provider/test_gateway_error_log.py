"""An error nobody handled in the gateway is logged once (one traceback, with the request's id) and the
client gets 500 `internal_error` in the catalogue's words, with the id and without a traceback. A real gateway
(uvicorn) on a real nats-server and PostgreSQL; the error is a bug put in on purpose (`/api/me` made to
raise), as no route raises one of its own."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from gateway_support import RunningGateway, running_gateway
from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider import gateway as gateway_module
from jibsa.testing.nats_server import NatsServer
from jibsa.words import Said, say

pytestmark = pytest.mark.postgres

SECRET = "boom-in-the-gateway-7781"


@pytest.fixture
async def gateway(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> AsyncIterator[RunningGateway]:
    async with running_gateway(provider_db, provider_url, nats_server.url, stand_in=False) as running:
        yield running


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record, uvicorn's included (its loggers do not propagate to the root, where caplog listens)."""
    server = logging.getLogger("uvicorn")
    server.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    try:
        yield caplog
    finally:
        server.removeHandler(caplog.handler)


def _a_bug(_: object) -> None:
    raise RuntimeError(SECRET)


async def test_an_unhandled_error_is_logged_once_with_its_request_id_and_told_in_korean(
    gateway: RunningGateway, every_log: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gateway_module, "_me", _a_bug)
    headers = {"Authorization": f"Bearer {gateway.tokens['h_a']}", "X-Request-Id": "req-42_a"}
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        answer = await client.get("/api/me", headers=headers)
        unnamed = await client.get("/api/me", headers={**headers, "X-Request-Id": "bad id; x" + "y" * 80})
    assert answer.status_code == 500
    body = answer.json()
    assert body["code"] == "internal_error"
    assert body["message"] == say(Said("error.internal_error"), "ko")
    assert body["detail"] == {"request_id": "req-42_a"} and answer.headers["x-request-id"] == "req-42_a"
    assert SECRET not in answer.text and "Traceback" not in answer.text and "RuntimeError" not in answer.text
    tracebacks = [r for r in every_log.records if r.exc_info is not None]
    assert len(tracebacks) == 2, [(r.name, r.getMessage()) for r in tracebacks]  # one for each request
    first, second = tracebacks
    assert "req-42_a" in first.getMessage() and SECRET in str(first.exc_info[1])  # type: ignore[index]
    new_id = unnamed.json()["detail"]["request_id"]
    assert new_id != "req-42_a" and len(new_id) == 32 and new_id in second.getMessage()
    assert unnamed.headers["x-request-id"] == new_id


async def test_a_reply_that_is_not_an_object_is_a_reply_it_cannot_read(
    gateway: RunningGateway, every_log: pytest.LogCaptureFixture
) -> None:
    async def answer_a_list(message: Msg) -> None:
        await message.respond(b"[1, 2]")

    await gateway.nats.subscribe("jibsa.*.*.cmd", cb=answer_a_list)
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        answer = await client.get("/api/state", headers={"Authorization": f"Bearer {gateway.tokens['h_a']}"})
    assert answer.status_code == 500 and answer.json()["code"] == "internal_error"
    assert not [r for r in every_log.records if r.exc_info is not None]  # told as a bad reply, not a bug
    assert any("not JSON" in r.getMessage() for r in every_log.records)
