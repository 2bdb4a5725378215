"""Open WebSockets end with their person's access: removing a person closes their sockets at once, and
every socket re-checks its token or session every `RECHECK_S` seconds (a token revoked by `jibsa user`
in another process, a session that ended), closing when it no longer holds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import WebSocket

from jibsa.gate import Via

if TYPE_CHECKING:
    from jibsa.api.auth import Principal
    from jibsa.api.context import ApiContext

log = logging.getLogger(__name__)
RECHECK_S = 5.0
ACCESS_ENDED = 1008  # policy violation: the credential that opened the socket no longer holds


class OpenSockets:
    """The sockets open now, by the person who opened them."""

    def __init__(self, recheck_s: float = RECHECK_S) -> None:
        self.recheck_s = recheck_s
        self._by_user: dict[str, set[WebSocket]] = {}

    async def close_user(self, user_key: str) -> int:
        """Close every socket of `user_key`; how many were open."""
        sockets = self._by_user.pop(user_key, set())
        for websocket in sockets:
            await _close(websocket)
        return len(sockets)

    @contextlib.asynccontextmanager
    async def watched(self, context: ApiContext, principal: Principal, websocket: WebSocket) -> AsyncIterator[None]:
        """Keep `websocket` known under its person while the body runs, re-checking its credential."""
        key = principal.user_key
        self._by_user.setdefault(key, set()).add(websocket)
        watch = asyncio.create_task(self._watch(context, principal, websocket))
        try:
            yield
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
            held = self._by_user.get(key)
            if held is not None:
                held.discard(websocket)
                if not held:
                    del self._by_user[key]

    async def _watch(self, context: ApiContext, principal: Principal, websocket: WebSocket) -> None:
        while True:
            await asyncio.sleep(self.recheck_s)
            if not await still_holds(context, principal):
                log.info("closing a socket of %s: their access ended", principal.name)
                await _close(websocket)
                await context.running.gate.audit(
                    principal.at(Via.WS),
                    "socket_closed",
                    {"path": websocket.url.path},
                    ok=True,
                    result={"why": "access ended"},
                )
                return


async def still_holds(context: ApiContext, principal: Principal) -> bool:
    """Whether the token or session that opened a socket is still valid, for the same person."""
    if principal.token_hash is not None:
        user = await context.accounts.find_token(principal.token_hash)
        return user is not None and user.id == principal.user.id
    if principal.session_hash is not None:
        return await context.accounts.find_session(principal.session_hash, time.time()) is not None
    return False


async def _close(websocket: WebSocket) -> None:
    with contextlib.suppress(RuntimeError, OSError):  # already closed, or the client has gone
        await websocket.close(code=ACCESS_ENDED, reason="access ended")
