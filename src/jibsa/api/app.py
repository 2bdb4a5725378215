"""`create_app`: the ASGI application of one running home — the HTTP API under /api, the event
WebSocket, and the dashboard's static files at /."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jibsa import __version__
from jibsa.api import (
    routes_conversation,
    routes_devices,
    routes_events,
    routes_home,
    routes_notifications,
    routes_rules,
    routes_session,
    routes_users,
)
from jibsa.api.accounts import AccountStore
from jibsa.api.context import ApiContext, AuthSettings
from jibsa.api.errors import install_error_handlers
from jibsa.api.limits import AttemptLimiter
from jibsa.app import RunningHome

DESCRIPTION = """jibsa's home API. Authenticate with `Authorization: Bearer jibsa_…` (an access token from
`jibsa user add`), or log in with `POST /api/login` (a session cookie; then send the returned CSRF token in
`X-CSRF-Token` with every request that changes something).

Errors are JSON: `{"code", "message" (Korean), "message_en"}`. Live events: WebSocket `/api/events`
(bearer header, session cookie or `?token=`), one JSON object per message with a `type`:
`state_changed`, `availability_changed`, `conversation`, `jobs_changed`, `job_fired`, `timer_finished`,
`home_changed`, `dropped`; rules add `rule_fired`, `notification` and `announcement` (docs/rules.md)."""

# Every asset comes from this server: no CDN, no inline scripts.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; connect-src 'self'; "
                                 b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class _SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every HTTP response (a plain ASGI middleware: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def web_root() -> Path:
    """Where the dashboard's files are installed."""
    return Path(str(files("jibsa").joinpath("web")))


def create_app(running: RunningHome, auth: AuthSettings | None = None, accounts: AccountStore | None = None) -> FastAPI:
    """The application for `running`. `accounts` defaults to the home's store (jibsa.storage's SqlStore)."""
    auth = auth or AuthSettings()
    app = FastAPI(title="jibsa", version=__version__, description=DESCRIPTION, openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None)  # the interactive docs load from a CDN: not served
    app.state.jibsa = ApiContext(
        running, accounts or cast(AccountStore, running.store), auth,
        login_limiter=AttemptLimiter(auth.login_attempts, auth.login_window_s),
    )  # fmt: skip
    install_error_handlers(app)
    for module in (routes_session, routes_conversation, routes_devices, routes_home, routes_users, routes_events):
        app.include_router(module.router)
    for module in (routes_rules, routes_notifications):
        app.include_router(module.router)
    _mount_dashboard(app)
    app.add_middleware(_SecurityHeaders)
    return app


def _mount_dashboard(app: FastAPI) -> None:
    root = web_root()
    index = root / "index.html"

    @app.get("/", include_in_schema=False)
    async def dashboard() -> Any:
        return FileResponse(index, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=root), name="static")
