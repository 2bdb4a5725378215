"""`WS /api/events`: a live stream of state changes, conversation results and pending-job changes.

Authenticate with ``Authorization: Bearer …``, the session cookie (the web page), or ``?token=…``
(clients that cannot set headers). With the cookie, the Origin must be this server, so another
site cannot open the stream in a visitor's browser. Each client has its own bounded queue: a slow
client loses its oldest events and is told how many (``{"type": "dropped"}``) to resync.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from jibsa.api.auth import Principal, identify, watch_socket
from jibsa.api.context import ApiContext
from jibsa.api.errors import ApiError
from jibsa.api.events import EventEncoder
from jibsa.domain.events import PublicEvent
from jibsa.domain.policy import may_see
from jibsa.hub import Subscription

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api")
POLICY_VIOLATION = 1008
QUEUE_SIZE = 1000


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    context: ApiContext = websocket.app.state.jibsa
    principal = await accept_socket(websocket, context)
    if principal is None:
        return
    async with watch_socket(context, principal, websocket):
        await _stream(websocket, context, principal)


async def _stream(websocket: WebSocket, context: ApiContext, principal: Principal) -> None:
    with context.running.hub.bus.subscribe(QUEUE_SIZE) as subscription:
        await websocket.send_text(json.dumps({"type": "hello", "user": principal.name, "role": principal.role.value}))
        sender = asyncio.create_task(_forward(websocket, subscription, context.encode_event, principal))
        try:
            await _drain(websocket, principal)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender


async def _forward(
    websocket: WebSocket, subscription: Subscription, encode: EventEncoder, principal: Principal
) -> None:
    dropped = 0
    try:
        while True:
            event = await subscription.get()
            if subscription.dropped != dropped:
                await websocket.send_text(json.dumps({"type": "dropped", "count": subscription.dropped - dropped}))
                dropped = subscription.dropped
            if not isinstance(event, PublicEvent) or not may_see(event, principal.name, principal.role):
                continue
            text = encode(event)
            if text is not None:
                await websocket.send_text(text)
    except (WebSocketDisconnect, RuntimeError, OSError):  # the client went away while we were sending
        return


async def _drain(websocket: WebSocket, principal: Principal) -> None:
    """Read until the client leaves; it has nothing to say except "ping"."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            log.debug("event stream of %s closed", principal.name)
            return
        if message.get("text") == "ping":
            await websocket.send_text('{"type": "pong"}')


async def accept_socket(websocket: WebSocket, context: ApiContext) -> Principal | None:
    """Accept a WebSocket from a known person (token, `?token=` or session cookie); a cookie from another
    page's origin, or nobody known, is closed with a policy violation and None returned."""
    try:
        principal = await identify(websocket, context, query_token=True)
    except ApiError:
        await websocket.close(code=POLICY_VIOLATION, reason="not authenticated")
        return None
    if principal.via == "session" and not _same_origin(websocket):
        await websocket.close(code=POLICY_VIOLATION, reason="cross-origin")
        return None
    await websocket.accept()
    return principal


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: browsers always send Origin on WebSocket handshakes
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()
