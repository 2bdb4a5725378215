"""A gateway's open WebSockets last only as long as the access that opened them.

Each socket is known by its token's hash, its account and its home. It is checked again, from the database
(the gateway's memory of its token is forgotten by then), when a revocation names its account or its home
(a logout, `homes delete`, a member removed: heard from any gateway on `jibsa.auth.revoked`), when its
login session ends, and when this gateway's NATS connection has come back (a revocation may have passed
while it was away; noticed within `NOTICE_S`). A socket whose token no longer holds is closed with 1008
"access ended", as `jibsa serve` closes its own; one that cannot be checked now (PostgreSQL away) with
1013 "try again later", so that the client's next connection is checked afresh (1011 for a failure nobody
foresaw: a socket never goes on unguarded). A revocation made where
nobody announces it (the tables edited by hand) closes nothing until one of those comes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from fastapi import WebSocket

from jibsa.api.open_sockets import ACCESS_ENDED
from jibsa.provider.outages import DOWN_ERRORS, database_down

log = logging.getLogger(__name__)

Holder = tuple[Any, float | None]  # a token's account, and when its login session ends (None: an access token)
Close = Callable[[int, str], Awaitable[None]]  # close the socket with this code and reason
NOTICE_S = 5.0
ACCESS_ENDED_REASON = "access ended"
TRY_AGAIN_LATER = 1013
TRY_AGAIN_LATER_REASON = "try again later"
INTERNAL_ERROR = 1011
INTERNAL_ERROR_REASON = "internal error"


@dataclass(eq=False)
class _Open:
    user_id: str
    home_id: str
    again: asyncio.Event = field(default_factory=asyncio.Event)


class SocketAccess:
    """The WebSockets open on this gateway, each closed when its token stops holding."""

    def __init__(
        self,
        holder: Callable[[str], Awaitable[Holder | None]],
        caught_up: Callable[[], object],
        clock: Callable[[], float] = time.time,
        notice_s: float = NOTICE_S,
    ) -> None:
        self._holder = holder  # who a token is now, and when its session ends
        self._caught_up = caught_up  # NATS came back? (then it calls `revoked()` for every socket)
        self._clock = clock
        self._notice_s = notice_s
        self._open: set[_Open] = set()

    def __len__(self) -> int:
        return len(self._open)

    def revoked(self, *, user_id: str | None = None, home_id: str | None = None) -> int:
        """Check again the sockets of the account or of the home (of every one, when neither is named); how
        many will be."""
        named = [s for s in self._open if (user_id is home_id is None) or user_id == s.user_id or home_id == s.home_id]
        for socket in named:
            socket.again.set()
        return len(named)

    async def guard(self, token_hash: str, close: Close) -> None:
        """Run beside an open socket (cancelled when it closes); `close` it when its token stops holding, and
        when its access cannot be told for a reason nobody foresaw (a socket never goes on unguarded)."""
        try:
            await self._guard(token_hash, close)
        except Exception:
            log.exception("a WebSocket's access could not be checked; it is closed")
            await close(INTERNAL_ERROR, INTERNAL_ERROR_REASON)

    async def _guard(self, token_hash: str, close: Close) -> None:
        held = await self._check(token_hash, close)
        if held is None:
            return
        user, ends = held
        socket = _Open(str(user.id), str(user.home_id))
        self._open.add(socket)
        try:
            held = await self._check(token_hash, close)  # a revocation may have come while it was not yet known
            while held is not None and str(held[0].id) == socket.user_id:
                ends = held[1]
                await self._until_asked(socket, ends)
                held = await self._check(token_hash, close)
            if held is not None:  # the token names another account now: never relay on to it
                await close(ACCESS_ENDED, ACCESS_ENDED_REASON)
        finally:
            self._open.discard(socket)

    async def _check(self, token_hash: str, close: Close) -> Holder | None:
        """Who the token is now; None (after closing the socket) when nobody or when it cannot be told."""
        try:
            held = await self._holder(token_hash)
        except DOWN_ERRORS as error:
            if not database_down(error):
                raise
            log.warning("a WebSocket's access could not be checked (the database is away); it is closed")
            await close(TRY_AGAIN_LATER, TRY_AGAIN_LATER_REASON)
            return None
        if held is None:
            log.info("a WebSocket's access ended; it is closed")
            await close(ACCESS_ENDED, ACCESS_ENDED_REASON)
        return held

    async def _until_asked(self, socket: _Open, ends: float | None) -> None:
        """Return when the socket is to be checked: a revocation named it, its session ended, or NATS came
        back (asked every `notice_s`)."""
        while True:
            wait = self._notice_s if ends is None else min(self._notice_s, max(0.0, ends - self._clock()))
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await socket.again.wait()
            self._caught_up()
            if socket.again.is_set() or (ends is not None and ends <= self._clock()):
                socket.again.clear()
                return


def closer(websocket: WebSocket, *stop: asyncio.Task[Any]) -> Close:
    """How `SocketAccess` closes a gateway's socket: the tasks that send to it stop first (nothing is sent
    after the close), then the close frame with its code and reason (a client already gone is no error)."""

    async def close(code: int, reason: str) -> None:
        for task in stop:
            task.cancel()
        with suppress(RuntimeError, OSError):
            await websocket.close(code=code, reason=reason)

    return close
