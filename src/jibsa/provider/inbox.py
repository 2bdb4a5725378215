"""Replies to requests, on an inbox the sender names in the request itself (`wire.REPLY_TO`).

nats-py's `request()` waits on a reply subject that JetStream does not keep: a request its worker never
answered (the worker was killed) is replayed from the stream to the shard's next owner, whose reply then
reaches nobody, and the sender gives up. So a sender (the gateway, the load of the failover test) sends
its own inbox twice: as the reply subject, which the live worker answers, and in the `Jibsa-Reply-To`
header, which the stream keeps and a replaying worker answers. One subscription per connection
(`_INBOX.<unique>.*`) serves every request waiting on it, as nats-py's own does; a request's inbox is
that prefix and a token of its own. Nothing outlives the process: the gateway stays stateless."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from jibsa.provider.wire import ANSWERS

log = logging.getLogger(__name__)

_NO_RESPONDERS = "503"  # the server's status when nobody subscribes: the stream may still keep the request


@dataclass
class Waiting:
    """One request's inbox and the first reply that came to it."""

    inbox: str
    answers: str  # "<home>/<request id>": what a reply must answer, when it says
    arrived: asyncio.Future[Msg] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    async def reply(self, within_s: float) -> Msg:
        """The first reply, waiting up to `within_s` (`TimeoutError` after; it may still come later)."""
        return await asyncio.wait_for(asyncio.shield(self.arrived), within_s)


class Inboxes:
    """The reply inboxes of one NATS connection."""

    def __init__(self, nc: NATS) -> None:
        self._nc = nc
        self._prefix: str | None = None
        self._subscribing = asyncio.Lock()
        self._waiting: dict[str, Waiting] = {}

    @contextlib.asynccontextmanager
    async def waiting(self, home: str, request_id: str) -> AsyncIterator[Waiting]:
        """An inbox of its own for the request (home, request_id), for as long as the block runs."""
        prefix = await self._subscribed()
        token = secrets.token_hex(12)
        waiting = Waiting(f"{prefix}.{token}", f"{home}/{request_id}")
        self._waiting[token] = waiting
        try:
            yield waiting
        finally:
            self._waiting.pop(token, None)
            waiting.arrived.cancel()

    async def _subscribed(self) -> str:
        if self._prefix is None:
            async with self._subscribing:
                if self._prefix is None:
                    prefix = self._nc.new_inbox()  # `_INBOX.<unique>`: what workers accept (wire.reply_inbox)
                    await self._nc.subscribe(f"{prefix}.*", cb=self._arrived)
                    self._prefix = prefix
        return self._prefix

    async def _arrived(self, message: Msg) -> None:
        assert self._prefix is not None
        waiting = self._waiting.get(message.subject[len(self._prefix) + 1 :])
        if waiting is None or waiting.arrived.done():  # given up on, or answered already (live, then replayed)
            return
        headers = message.headers or {}
        if headers.get("Status") == _NO_RESPONDERS:  # no worker holds the shard now: the next owner replays it
            return
        named = headers.get(ANSWERS)
        if named is not None and named != waiting.answers:
            log.warning("a reply for another request came to the inbox of %s: dropped", waiting.answers)
            return
        waiting.arrived.set_result(message)
