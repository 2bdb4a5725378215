"""A refusal of a home's gate reaches the provider's client as `jibsa serve`'s API gives it: its code, its detail
and, after too many wrong PINs, `Retry-After`; and what a worker's cell refuses for a bad request is said from the
words catalogue (`provider_errors.request_*`), never an English sentence of its own.

The gate here is a real one (the sample home's, a real `PinLock` and `AttemptLimiter`), answered through the
provider cell's own `answer`; the gateway test puts that cell behind a real gateway, nats-server and PostgreSQL.
A provider home has no PIN today: the gate's PIN lock is configured here so that it refuses for too many tries."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from gateway_support import running_gateway
from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.api.errors import error_body, refused_by_gate
from jibsa.api.limits import AttemptLimiter
from jibsa.app import RunningHome
from jibsa.domain import Role
from jibsa.gate import GateRefused, PinLock
from jibsa.provider.cell import CellHome, answer
from jibsa.provider.gateway import refusal_detail
from jibsa.provider.wire import Asker, Reply, Request
from jibsa.testing.nats_server import NatsServer
from jibsa.words import Said, say

_HANGUL = re.compile(r"[가-힣]")
PIN = "4321"


def _cell(running: RunningHome, tries: int = 1) -> CellHome:
    """The sample home behind a gate with a PIN that locks after `tries` wrong ones for five minutes."""
    running.gate.configure(pins=PinLock(lambda said: said == PIN, AttemptLimiter(tries, 300.0)))
    assert running.rules is not None
    return CellHome(running.hub, running.gate, running.rules)


def _request(kind: str, body: dict[str, Any], via: str = "http") -> Request:
    return Request("r1", "h_a", Asker("엄마", Role.OWNER, via), kind, body)


async def test_too_many_pin_tries_carry_when_to_try_again_across_the_wire(running: RunningHome) -> None:
    cell = _cell(running)
    confirming = _request("say", {"text": "현관문 열어줘", "confirm": True})
    first = await answer(cell, confirming)
    assert first.code == "wrong_pin" and first.retry_after == 0
    second = Reply.from_bytes((await answer(cell, confirming)).to_bytes())
    assert second.code == "too_many_requests"
    assert 0 < second.retry_after <= 300
    assert second.message == say(Said("error.too_many_requests"), "en")  # for logs, from the catalogue
    assert running.hub.state("front_door").get("lock") == "locked"


def test_a_gate_refusals_detail_reaches_the_client_beside_the_workers_code() -> None:
    refused = GateRefused("not_allowed", {"intent": "unlock", "device": "front_door"})
    reply = Reply.from_bytes(Reply.gate_refused(refused.code, refused.detail, refused.retry_after).to_bytes())
    assert reply.detail == {"intent": "unlock", "device": "front_door"} and reply.retry_after == 0
    served = refused_by_gate(refused)  # what `jibsa serve` answers with
    assert refusal_detail(reply, "ko") == {**served.detail, "code": "not_allowed"}
    bare = Reply.from_bytes(Reply.gate_refused("wrong_pin").to_bytes())
    assert bare.detail is None and refusal_detail(bare, "en") == {"code": "wrong_pin"}


@pytest.mark.parametrize("odd", [-5, 0, "30", True, 1.5, 10**9, None, [30]])
def test_an_odd_retry_after_on_the_wire_is_none(odd: Any) -> None:
    error = {"code": "too_many_requests", "retry_after": odd, "detail": "x"}
    reply = Reply.from_bytes(json.dumps({"ok": False, "error": error}).encode())
    assert reply.code == "too_many_requests" and reply.retry_after == 0 and reply.detail is None


@pytest.mark.parametrize(
    ("request_", "key", "names"),
    [
        (_request("state", {}, via="carrier-pigeon"), "request_choice", "principal.via"),
        (_request("say", {"text": 5}), "request_say_body", "body.text"),
        (_request("say", {"text": "불 꺼", "room": ["거실"]}), "request_say_body", "body.room"),
        (_request("command", {"intent": "turn_on", "targets": "lamp"}), "request_command", "targets"),
        (_request("command", {"intent": "fly_away"}), "request_command", "intent"),
    ],
)
async def test_a_cells_bad_request_is_told_from_the_catalogue(
    running: RunningHome, request_: Request, key: str, names: str
) -> None:
    reply = Reply.from_bytes((await answer(_cell(running), request_)).to_bytes())
    assert reply.code == "bad_request"
    assert reply.said is not None and reply.said.key == f"provider_errors.{key}"
    assert reply.message == say(reply.said, "en")  # the log's English is the catalogue's
    korean, english = refusal_detail(reply, "ko"), refusal_detail(reply, "en")
    assert korean["code"] == english["code"] == "bad_request"
    assert _HANGUL.search(korean["reason"]) and not _HANGUL.search(english["reason"])
    assert names in english["reason"]


@pytest.fixture
async def gateway_before_a_locked_cell(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer, running: RunningHome
) -> AsyncIterator[Any]:
    """A gateway whose home h_a is answered by the provider cell's `answer` on the sample home's real gate."""
    cell = _cell(running)

    async with running_gateway(provider_db, provider_url, nats_server.url, stand_in=False) as gateway:

        async def respond(message: Msg) -> None:
            await message.respond((await answer(cell, Request.from_bytes(message.data))).to_bytes())

        subscription = await gateway.nats.subscribe("jibsa.*.*.cmd", cb=respond)
        try:
            yield gateway
        finally:
            await subscription.unsubscribe()


@pytest.mark.postgres
async def test_the_gateway_answers_too_many_pin_tries_as_jibsa_serve_does(gateway_before_a_locked_cell: Any) -> None:
    gateway = gateway_before_a_locked_cell
    headers = {"Authorization": f"Bearer {gateway.tokens['h_a']}"}
    async with httpx.AsyncClient(base_url=gateway.base, headers=headers, timeout=10) as client:
        body = {"text": "현관문 열어줘", "confirm": True}
        wrong = await client.post("/api/say", json=body)
        assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_pin"
        assert "retry-after" not in wrong.headers
        locked = await client.post("/api/say", json=body)
        english = await client.post("/api/say", json=body, headers={"Accept-Language": "en"})
    assert locked.status_code == 429, locked.text
    assert 0 < int(locked.headers["Retry-After"]) <= 300
    served = error_body("too_many_requests")  # `jibsa serve`'s body for the same refusal: code and messages
    assert {k: locked.json()[k] for k in served} == served
    assert _HANGUL.search(locked.json()["message"])
    assert locked.json()["detail"]["code"] == "too_many_requests"
    assert english.status_code == 429 and 0 < int(english.headers["Retry-After"]) <= 300
