"""What every request handler reaches: the running home, the account store, and the API's settings."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.requests import HTTPConnection

from jibsa.api.accounts import AccountStore
from jibsa.api.events import EventEncoder
from jibsa.api.limits import AttemptLimiter, LoginThrottle
from jibsa.api.open_sockets import OpenSockets
from jibsa.app import RunningHome

SESSION_COOKIE = "jibsa_session"
# How long a verified token is believed without asking storage again. Removing a user through the API
# forgets at once; through `jibsa user remove` (another process) the token works this much longer.
TOKEN_CACHE_S = 5.0
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class AuthSettings:
    """How people prove who they are.

    `secure_cookies` is set when serving over TLS (directly or behind a TLS proxy); `unlock_pin_hash`
    (argon2) makes a PIN the confirmation for unlocking a door instead of a second request.
    """

    secure_cookies: bool = False
    session_ttl_s: float = 7 * 24 * 3600
    unlock_pin_hash: str | None = None
    login_attempts: int = 5  # failed logins from one address in the window, then 429 for that address
    login_window_s: float = 60.0
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For is believed (the reverse proxy)


class TokenCache:
    """Recently verified token hashes and their users, each believed for `ttl` seconds."""

    def __init__(self, ttl: float, max_size: int = 1000) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._users: dict[str, tuple[float, Any]] = {}

    def get(self, token_hash: str) -> Any:
        found = self._users.get(token_hash)
        if found is None or time.monotonic() - found[0] > self._ttl:
            self._users.pop(token_hash, None)
            return None
        return found[1]

    def put(self, token_hash: str, user: Any) -> None:
        if len(self._users) >= self._max_size:
            self._users.clear()
        self._users[token_hash] = (time.monotonic(), user)

    def forget_all(self) -> None:
        self._users.clear()


@dataclass
class ApiContext:
    running: RunningHome
    accounts: AccountStore
    auth: AuthSettings
    login_throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(5, 60.0))
    pin_limiter: AttemptLimiter = field(default_factory=lambda: AttemptLimiter(5, 300.0))
    tokens: TokenCache = field(default_factory=lambda: TokenCache(TOKEN_CACHE_S))
    sockets: OpenSockets = field(default_factory=OpenSockets)  # open WebSockets, closed when access ends
    refused_logins: dict[str, float] = field(default_factory=dict)  # address -> end of its audited 429
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep  # how a slowed-down login waits (tests: record it)
    encode_event: EventEncoder = field(init=False)

    def __post_init__(self) -> None:
        self.encode_event = EventEncoder(lambda: self.running.hub.home)

    @property
    def home_id(self) -> str:
        return self.running.hub.home.id


def api_context(request: Request) -> ApiContext:
    """The context `create_app` stored on the application."""
    context: ApiContext = request.app.state.jibsa
    return context


def client_address(request: HTTPConnection, context: ApiContext) -> str:
    """Where a request comes from: the peer, or what a trusted reverse proxy says it forwarded."""
    peer = request.client.host if request.client else "unknown"
    if peer in context.auth.trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:100]
    return peer
