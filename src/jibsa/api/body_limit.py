"""A limit on request bodies, enforced before the application reads them: 413 `payload_too_large`.

A body whose Content-Length is over the limit is refused without reading a byte of it; a body sent
in chunks (no Content-Length) is read only up to the limit. Bodies within it are small (JSON), so the
middleware collects one whole and hands it on: the application never sees a partial body.

Not Starlette's `RequestBodyLimitMiddleware` (FastAPI's `max_body_size`): when Content-Length is over
its limit it replaces whatever the application answers with a plain-text 413, and every error of
this API is the JSON of `jibsa.api.errors`.
"""

from __future__ import annotations

import enum
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jibsa.api.errors import error_body

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class _Unread(enum.Enum):
    """Why a body was not read whole."""

    TOO_LARGE = "too large"
    GONE = "the client left"


class BodyLimit:
    """ASGI middleware: HTTP request bodies of at most `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        body = await self._read(receive)
        if body is _Unread.TOO_LARGE:
            await self._refuse(send)
        elif isinstance(body, bytes):
            await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | _Unread:
        """The whole body; TOO_LARGE once it grows past the limit (the rest is never read), GONE when
        the client leaves before sending it all (nobody is left to answer)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return _Unread.GONE
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return _Unread.TOO_LARGE
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, send: Send) -> None:
        payload = json.dumps(
            error_body("payload_too_large", {"max_bytes": self.max_bytes}), ensure_ascii=False
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]  # the unread rest of the body must not be taken as a request
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
