"""`create_app`: the ASGI application of one running home — the HTTP API under /api, the event
WebSocket, and the dashboard's static files at /."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jibsa import __version__
from jibsa.api import (
    routes_conversation,
    routes_devices,
    routes_discovered,
    routes_energy,
    routes_events,
    routes_home,
    routes_local,
    routes_matter,
    routes_notifications,
    routes_rules,
    routes_session,
    routes_users,
    routes_voices,
)
from jibsa.api.accounts import AccountStore, verify_password
from jibsa.api.audit import record_refusal
from jibsa.api.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from jibsa.api.context import ApiContext, AuthSettings
from jibsa.api.errors import ApiError, install_error_handlers
from jibsa.api.limits import LoginThrottle
from jibsa.api.routes_voice import router as voice_router
from jibsa.api.routes_weather import router as weather_router
from jibsa.api.unhandled import OneErrorLog
from jibsa.app import RunningHome
from jibsa.domain import Room
from jibsa.gate import PinLock
from jibsa.words import LANGUAGES, catalogue

DESCRIPTION = """jibsa's home API. Authenticate with `Authorization: Bearer jibsa_…` (an access token from
`jibsa user add`), or log in with `POST /api/login` (a session cookie; then send the returned CSRF token in
`X-CSRF-Token` with every request that changes something).

Errors are JSON: `{"code", "message" (Korean), "message_en"}`. Live events: WebSocket `/api/events`
(bearer header, session cookie or `?token=`), one JSON object per message with a `type`:
`state_changed`, `availability_changed`, `conversation`, `jobs_changed`, `job_fired`, `timer_finished`,
`home_changed`, `dropped`; rules add `rule_fired`, `notification` and `announcement` (docs/rules.md)."""

# Every asset comes from this server: no CDN, no inline scripts.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
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


def _configure_gate(context: ApiContext) -> None:
    """The gate audits into the API's accounts and checks the PIN the server was given."""
    pin_hash = context.auth.unlock_pin_hash
    verify = (lambda pin: verify_password(pin_hash, pin)) if pin_hash else None
    context.running.gate.configure(pins=PinLock(verify, context.pin_limiter), audit=context.accounts)


def create_app(
    running: RunningHome,
    auth: AuthSettings | None = None,
    accounts: AccountStore | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The application for `running`. `accounts` defaults to the home's store (jibsa.storage's SqlStore);
    request bodies over `max_body_bytes` are refused (413) before they are read."""
    auth = auth or AuthSettings()
    app = FastAPI(
        title="jibsa",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )  # the interactive docs load from a CDN: not served
    app.state.jibsa = ApiContext(
        running, accounts or cast(AccountStore, running.store), auth,
        login_throttle=LoginThrottle(auth.login_attempts, auth.login_window_s),
    )  # fmt: skip
    _configure_gate(app.state.jibsa)
    install_error_handlers(app, on_refused=record_refusal)
    for module in (
        routes_session,
        routes_conversation,
        routes_devices,
        routes_discovered,
        routes_home,
        routes_users,
        routes_events,
    ):
        app.include_router(module.router)
    app.include_router(routes_local.router)  # `jibsa say/chat/status` on this machine (server.json's token)
    app.include_router(voice_router)
    app.include_router(weather_router)
    for module in (routes_rules, routes_notifications, routes_matter, routes_energy, routes_voices):
        app.include_router(module.router)
    _document_rooms(app, running.hub.home.rooms)
    _mount_dashboard(app)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(OneErrorLog)  # inside Starlette's own handler, which would log the error a second time
    app.add_middleware(_SecurityHeaders)
    return app


class _DashboardFiles(StaticFiles):
    """The dashboard's files, revalidated on every load (an ETag answers 304 when unchanged): there is no
    build step to give a changed file a new name, and the service worker keeps them for offline use."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def _document_rooms(app: FastAPI, rooms: tuple[Room, ...]) -> None:
    """Name this home's rooms in the OpenAPI document: a conversation's `room` is one of them (by id,
    name or alias) or absent; any other is refused with 422 `unknown_room`."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()  # FastAPI keeps this very dictionary as app.openapi_schema
        room = schema["components"]["schemas"]["ConversationRequest"]["properties"]["room"]
        names = sorted({r.id for r in rooms} | {name for r in rooms for name in r.names})
        room["anyOf"] = [{"type": "string", "enum": names}, {"type": "null"}]
        return schema

    app.openapi = document  # type: ignore[method-assign]


def _mount_dashboard(app: FastAPI) -> None:
    root = web_root()
    no_cache = {"Cache-Control": "no-cache"}

    @app.get("/", include_in_schema=False)
    async def dashboard() -> Any:
        return FileResponse(root / "index.html", media_type="text/html; charset=utf-8", headers=no_cache)

    @app.get("/sw.js", include_in_schema=False)
    async def service_worker() -> Any:
        """Served from the root so that its scope is the whole dashboard."""
        return FileResponse(root / "sw.js", media_type="text/javascript; charset=utf-8", headers=no_cache)

    @app.get("/words/{lang}.json", include_in_schema=False)
    async def page_words(lang: str) -> Any:
        """The page's words, from the same catalogue as everything else jibsa says."""
        if lang not in LANGUAGES:
            raise ApiError("not_found", {"lang": lang, "known": list(LANGUAGES)})
        return JSONResponse(catalogue(lang)["page"], headers=no_cache)

    app.mount("/static", _DashboardFiles(directory=root), name="static")
