"""A gateway on a real nats-server and a real PostgreSQL, for the gateway's tests.

`RoutingOnlyResponder` stands in for the homes' workers and is named for what it is: it answers
requests on `jibsa.*.*.cmd` with what it holds for the home the request names, and records every
subject it heard. It tests the gateway's routing and tenancy checks only (which subject a request
goes to, which home it names, what reaches the client); what a home does with a command is the worker's
and is tested with the worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import nats
from nats.aio.client import Client as Nats
from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.api.accounts import hash_password
from jibsa.home_file import sample_home_text
from jibsa.provider.gateway_process import READY, run_gateway
from jibsa.provider.home_data import home_from_file, import_homes
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import home_of_subject
from jibsa.provider.wire import Reply, Request
from jibsa.storage import SqlStore

PASSWORD = "correct horse 1234"
# What each home holds; home B's values are the ones that must never reach anyone of home A.
HOMES = {
    "h_a": {"devices": {"a_lamp": {"power": "on"}}, "marker": "에이집-거실등"},
    "h_b": {"devices": {"b_safe": {"locked": True}}, "marker": "비밀-금고-B"},
}
B_MARKERS = ("b_safe", "비밀-금고-B")


@dataclass
class RoutingOnlyResponder:
    """Answers for homes A and B (never for others, which then do not answer); records what it heard."""

    heard: list[tuple[str, Request]] = field(default_factory=list)

    async def answer(self, message: Msg) -> None:
        request = Request.from_bytes(message.data)
        self.heard.append((message.subject, request))
        if home_of_subject(message.subject) != request.home:
            await message.respond(Reply(False, code="bad_request", message="subject and home differ").to_bytes())
            return
        held = HOMES.get(request.home)
        if held is None:
            return  # no worker for this home
        devices: dict[str, Any] = held["devices"]
        if request.kind == "state":
            reply = Reply(True, {"devices": devices, "marker": held["marker"]})
        elif request.kind == "command" and not set(request.body.get("targets", [])) <= set(devices):
            reply = Reply(False, code="unknown_device", message="no such device in this home")
        else:
            said = {"reply": f"알겠어요 ({request.home})"} if request.kind == "say" else {}
            reply = Reply(True, {"kind": request.kind, "person": request.asker.person, "body": request.body, **said})
        await message.respond(reply.to_bytes())

    def subjects(self) -> set[str]:
        return {subject for subject, _ in self.heard}


@dataclass
class RunningGateway:
    base: str
    nats: Nats
    responder: RoutingOnlyResponder
    tokens: dict[str, str]  # home id -> its owner's access token
    store: SqlStore


@contextlib.asynccontextmanager
async def running_gateway(
    engine: AsyncEngine, database: str, nats_url: str, *, stand_in: bool = True, **settings: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway on the database and NATS given, with homes h_a, h_b and h_c and their owners; with
    `stand_in`, a `RoutingOnlyResponder` answers for h_a and h_b (without, whatever worker runs does)."""
    homes = [home_from_file(sample_home_text(), home_id, home_id) for home_id in (*HOMES, "h_c")]
    imported = await import_homes(engine, homes, owner="엄마")
    store = SqlStore(engine)
    for home_id in imported.tokens:
        owner = await store.get_user(home_id, "엄마")
        assert owner is not None
        await store.set_password(owner.id, hash_password(PASSWORD))
    connection = await nats.connect(nats_url)
    responder = RoutingOnlyResponder()
    if stand_in:
        await connection.subscribe("jibsa.*.*.cmd", cb=responder.answer)
    options = {"gateway_bind": "127.0.0.1:0", "request_timeout_s": 0.5, **settings}
    config = ProviderSettings(nats_url=nats_url, database_url=database, **options)
    stop, lines = asyncio.Event(), asyncio.Queue[str]()
    serving = asyncio.create_task(run_gateway(config, stop, lines.put_nowait))
    line = await asyncio.wait_for(lines.get(), 30)
    assert line.startswith(READY)
    try:
        yield RunningGateway(line.split()[-1], connection, responder, imported.tokens, store)
    finally:
        stop.set()
        await serving
        await connection.close()
