"""The last word on an error nobody handled, in `jibsa serve`'s API and the provider's gateway alike:
logged once, with the request's id and its traceback, and answered 500 `internal_error` in the catalogue's
words (Korean, with its English beside), the request id in the body's detail and the `X-Request-Id` header,
never a traceback.

Starlette's own handler for `Exception` answers too, but then raises the error again for the server, which
logs it a second time; this middleware sits inside it and keeps the error. The request id is the client's
`X-Request-Id` when it is one (1-64 of A-Z a-z 0-9 - _), else a new one."""

from __future__ import annotations

import logging
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jibsa.api.errors import error_response

log = logging.getLogger(__name__)

REQUEST_ID = "X-Request-Id"
_REQUEST_ID = re.compile(rb"[A-Za-z0-9_-]{1,64}")


class OneErrorLog:
    """ASGI middleware (HTTP only): an unhandled error is logged once and answered 500 without a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            request_id = request_id_of(scope)
            log.error("unhandled error on %s %s (request %s)", scope.get("method"), scope.get("path"), request_id,
                      exc_info=error)  # fmt: skip
            if started:  # the answer had begun: the client sees it cut short; nothing more can be said
                return
            response = error_response("internal_error", {"request_id": request_id}, headers={REQUEST_ID: request_id})
            await response(scope, receive, send)


def request_id_of(scope: Scope) -> str:
    """The client's `X-Request-Id` if it is a sane one, else a new id."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id" and _REQUEST_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return uuid.uuid4().hex
