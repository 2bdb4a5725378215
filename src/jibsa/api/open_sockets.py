"""Open WebSockets end with their person's access: removing a person closes their sockets at once, and
every socket re-checks its token or session every `RECHECK_S` seconds (a token revoked by `jibsa user`
in another process, a session that ended), closing when it no longer holds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import WebSocket

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
    async def watched(
        self, key: str, websocket: WebSocket, holds: Callable[[], Awaitable[bool]], ended: Callable[[], Awaitable[None]]
    ) -> AsyncIterator[None]:
        """Keep `websocket` known under its person's `key` while the body runs; every `recheck_s` ask
        `holds` whether its credential still does, and when not, close it and tell `ended`."""
        self._by_user.setdefault(key, set()).add(websocket)
        watch = asyncio.create_task(self._watch(websocket, holds, ended))
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

    async def _watch(
        self, websocket: WebSocket, holds: Callable[[], Awaitable[bool]], ended: Callable[[], Awaitable[None]]
    ) -> None:
        while True:
            await asyncio.sleep(self.recheck_s)
            if not await holds():
                await _close(websocket)
                await ended()
                return


async def _close(websocket: WebSocket) -> None:
    with contextlib.suppress(RuntimeError, OSError):  # already closed, or the client has gone
        await websocket.close(code=ACCESS_ENDED, reason="access ended")
