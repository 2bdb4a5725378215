"""Who is asking: an access token (``Authorization: Bearer jibsa_…``) or a session cookie.

Requests authenticated by the session cookie that change anything (POST, PUT, PATCH, DELETE) must
also carry the session's CSRF token in the ``X-CSRF-Token`` header; the cookie is HttpOnly and
SameSite=Strict as well. Bearer-token requests need no CSRF token: a browser never adds one itself.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request, WebSocket
from starlette.requests import HTTPConnection

from jibsa.api.accounts import role_of, secret_hash
from jibsa.api.context import CSRF_HEADER, SESSION_COOKIE, ApiContext, client_address
from jibsa.api.errors import ApiError
from jibsa.domain import Role
from jibsa.gate import Principal as GatePrincipal
from jibsa.gate import Via
from jibsa.hub import Actor

log = logging.getLogger(__name__)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Principal:
    """An authenticated person, how they proved it, and where the request came from."""

    user: Any
    role: Role
    via: str  # "token" | "session"
    source: str  # the client's address
    csrf: str | None = None
    session_hash: str | None = None
    token_hash: str | None = None

    @property
    def name(self) -> str:
        return str(self.user.name)

    @property
    def user_key(self) -> str:
        return str(self.user.id)

    def at(self, via: Via = Via.HTTP, session: str | None = None) -> GatePrincipal:
        """This person as the gate sees them, asking through `via`; `session` is scoped to them."""
        scoped = f"{self.user_key}:{session}" if session else None
        return GatePrincipal(self.name, self.role, via, self.source, scoped, self.user_key, self.via)

    def actor(self, channel: str) -> Actor:
        """The hub's view of this person; `channel` says through which endpoint ("api", "conversation")."""
        return Actor(self.name, self.role, f"{channel}:{self.source}")


def _bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def identify(connection: HTTPConnection, context: ApiContext, *, query_token: bool = False) -> Principal:
    """The principal behind a request or WebSocket, or `ApiError("not_authenticated")`."""
    source = client_address(connection, context)
    token = _bearer(connection) or (connection.query_params.get("token") if query_token else None)
    if token:
        token_hash = secret_hash(token)
        user = context.tokens.get(token_hash)
        if user is None:
            user = await context.accounts.find_token(token_hash)
            if user is not None:
                context.tokens.put(token_hash, user)
        if user is not None and user.home_id == context.home_id:
            return Principal(user, role_of(user), "token", source, token_hash=token_hash)
        raise ApiError("not_authenticated")
    cookie = connection.cookies.get(SESSION_COOKIE)
    if cookie:
        session_hash = secret_hash(cookie)
        found = await context.accounts.find_session(session_hash, time.time())
        if found is not None:
            user, csrf = found
            if user.home_id == context.home_id:
                return Principal(user, role_of(user), "session", source, csrf, session_hash)
    raise ApiError("not_authenticated")


def _context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.jibsa
    return context


async def current_principal(request: Request) -> Principal:
    """Dependency: the authenticated principal; checks the CSRF token of cookie requests that change things."""
    principal = await identify(request, _context(request))
    request.state.principal = principal  # for the audit of a refusal (jibsa.api.audit.record_refusal)
    if principal.via == "session" and request.method in STATE_CHANGING:
        sent = request.headers.get(CSRF_HEADER, "")
        if not principal.csrf or not hmac.compare_digest(sent.encode(), principal.csrf.encode()):
            raise ApiError("csrf_failed")
    return principal


def require_role(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the principal, when their role is one of `roles`; otherwise 403 forbidden."""

    async def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise ApiError("forbidden", {"role": principal.role.value, "needs": [r.value for r in roles]})
        return principal

    return check


anyone = current_principal
owner_only = require_role(Role.OWNER)
member_or_owner = require_role(Role.OWNER, Role.MEMBER)


def watch_socket(context: ApiContext, principal: Principal, websocket: WebSocket) -> AbstractAsyncContextManager[None]:
    """Keep `websocket` among its person's open sockets; it closes, audited, once the token or session
    that opened it no longer holds."""

    async def holds() -> bool:
        return await still_holds(context, principal)

    async def ended() -> None:
        log.info("closing a socket of %s: their access ended", principal.name)
        details = {"path": websocket.url.path}
        await context.running.gate.audit(
            principal.at(Via.WS), "socket_closed", details, ok=True, result={"why": "access ended"}
        )

    return context.sockets.watched(principal.user_key, websocket, holds, ended)


async def still_holds(context: ApiContext, principal: Principal) -> bool:
    """Whether the token or session that opened a socket is still valid, for the same person."""
    if principal.token_hash is not None:
        user = await context.accounts.find_token(principal.token_hash)
        return user is not None and user.id == principal.user.id
    if principal.session_hash is not None:
        return await context.accounts.find_session(principal.session_hash, time.time()) is not None
    return False
