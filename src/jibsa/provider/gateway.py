"""The gateway: a stateless HTTP and WebSocket front for every home. It authenticates, takes the home
from the account the token belongs to (never from anything the client says), and asks that home's
worker over NATS request/reply (`jibsa.provider.wire`); the WebSocket relays that home's events only.

Routes (a token is `Authorization: Bearer …`, or `?token=` on the WebSocket):

    POST /api/login            {home, name, password} -> a session token for that home
    POST /api/logout
    GET  /api/me               who the token is: home, name, role
    POST /api/say              {text, room?, confirm?, session?}   -> the worker's answer
    POST /api/command          a command (docs/home-and-commands.md) -> the outcome
    GET  /api/state, /api/devices
    POST /api/invites          {role} (owner) -> a code for one person, with its expiry
    POST /api/invites/accept   {code, name, password} -> an access token of the inviting home
    GET  /api/members          (owner) every account of the home: name, role, created
    DELETE /api/members/{name} (owner) an account of the home, its tokens and sessions; its sockets close
    WS   /api/events           the home's events as JSON text
    GET  /healthz, /metrics    NATS and PostgreSQL reachable; Prometheus text
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass
from typing import Annotated, Any

import nats
import nats.errors
from fastapi import Depends, FastAPI, Header, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from nats.aio.client import Client as Nats
from nats.aio.msg import Msg
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocketDisconnect

from jibsa.api.accounts import role_of, secret_hash, verify_password
from jibsa.api.body_limit import BodyLimit
from jibsa.api.errors import STATUS, ApiError, error_response, install_error_handlers
from jibsa.api.limits import LoginThrottle
from jibsa.api.unhandled import REQUEST_ID, OneErrorLog, request_id_of
from jibsa.domain import Role
from jibsa.domain.commands import Command, CommandFormatError
from jibsa.domain.said import Said
from jibsa.provider import wire
from jibsa.provider.client_language import client_language
from jibsa.provider.gateway_events import event_for
from jibsa.provider.inbox import Inboxes
from jibsa.provider.outages import DOWN_ERRORS, RETRY_AFTER_S, UNAVAILABLE, database_down
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import command_subject, event_subject, watch_subject
from jibsa.provider.socket_access import closer
from jibsa.provider.tenancy import HomeDirectory, Remover, TenancyError
from jibsa.provider.token_cache import TokenCache, TokenChecker
from jibsa.storage import SqlStore
from jibsa.words import MissingWords, say

log = logging.getLogger(__name__)

_HOME = r"^[A-Za-z0-9_-]{1,64}$"
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_WORKER_CODES = {"bad_request": "invalid_request"}  # the worker's codes that the API spells otherwise
# What a refusal says when its worker did not say it as a fact of the catalogue (a worker of an older jibsa).
_SAID_BY_CODE = {"interrupted": "reply_interrupted", "refused": "reply_refused", "internal": "reply_internal"}
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_TRY_AGAIN_LATER = 1013


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(_Strict):
    home: str = Field(pattern=_HOME)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class SayBody(_Strict):
    text: str = Field(min_length=1, max_length=500)
    room: str | None = Field(default=None, max_length=64)
    confirm: bool = False
    session: str | None = Field(default=None, max_length=64)


class InviteBody(_Strict):
    role: Role = Role.MEMBER
    ttl_s: float = Field(default=7 * 86_400.0, gt=0, le=30 * 86_400.0)


class AcceptBody(_Strict):
    code: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=8, max_length=1024)


class GatewayMetrics:
    """What Prometheus scrapes from one gateway."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "jibsa_gateway_requests", "Requests sent to homes' workers", ["kind", "outcome"], registry=self.registry
        )
        self.seconds = Histogram(
            "jibsa_gateway_request_seconds", "Time for a home's worker to answer", ["kind"], registry=self.registry,
            buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10),
        )  # fmt: skip
        self.logins = Counter("jibsa_gateway_logins", "Logins", ["outcome"], registry=self.registry)
        self.sockets = Gauge("jibsa_gateway_websockets", "Open event WebSockets", registry=self.registry)


@dataclass
class Gateway:
    """What the routes share; nothing in it belongs to one home."""

    settings: ProviderSettings
    engine: AsyncEngine
    nats: Nats
    accounts: SqlStore
    directory: HomeDirectory
    throttle: LoginThrottle
    metrics: GatewayMetrics
    tokens: TokenChecker
    inboxes: Inboxes


@dataclass(frozen=True)
class Caller:
    """An authenticated person and their one home."""

    user: Any
    role: Role
    token_hash: str = ""

    @property
    def home_id(self) -> str:
        return str(self.user.home_id)


def _gateway(connection: HTTPConnection) -> Gateway:
    gateway: Gateway = connection.app.state.gateway
    return gateway


async def identify(connection: HTTPConnection, *, query_token: bool = False) -> Caller:
    """The caller behind an access token or a login session; `ApiError("not_authenticated")` otherwise."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else ""
    if not token and query_token:
        token = connection.query_params.get("token", "")
    if not token or len(token) > 256:
        raise ApiError("not_authenticated")
    user = await _gateway(connection).tokens.user(token_hash := secret_hash(token))
    if user is None:
        raise ApiError("not_authenticated")
    return Caller(user, role_of(user), token_hash)


async def _caller(request: Request) -> Caller:
    return await identify(request)


Authenticated = Annotated[Caller, Depends(_caller)]
_Key = Annotated[str | None, Header(alias="Idempotency-Key")]


async def ask(
    gateway: Gateway, caller: Caller, kind: str, body: dict[str, Any], key: str | None = None, *, language: str = "ko"
) -> Any:
    """Ask the caller's home's worker; its result, or the `ApiError` its refusal or its silence is (the
    refusal's reason worded in `language`, with the worker's own code)."""
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiError("invalid_request", {"header": "Idempotency-Key", "rule": "1-64 of A-Z a-z 0-9 - _"})
    request_id = f"{caller.user.id}:{key}" if key else uuid.uuid4().hex
    asker = wire.Asker(str(caller.user.name), caller.role, "http")
    data = wire.Request(request_id, caller.home_id, asker, kind, body).to_bytes()
    if len(data) > wire.MAX_BYTES:
        raise ApiError("payload_too_large", {"max_bytes": wire.MAX_BYTES})
    # A live worker answers within request_timeout_s; one that died leaves the request to the shard's next
    # owner, which replays it from the stream within the lease TTL and answers the inbox the request names.
    timeout = gateway.settings.answer_within_s
    started = time.perf_counter()
    try:
        async with gateway.inboxes.waiting(caller.home_id, request_id) as waiting:
            sent = {**wire.stream_once(caller.home_id, request_id), wire.REPLY_TO: waiting.inbox}
            await gateway.nats.publish(command_subject(caller.home_id), data, reply=waiting.inbox, headers=sent)
            message = await waiting.reply(timeout)
    except (nats.errors.Error, TimeoutError) as error:  # no answer in time, NATS away or reconnecting
        gateway.metrics.requests.labels(kind, "not_answering").inc()
        log.warning("home %s: no answer to %s within %.1f s (%s)", caller.home_id, kind, timeout, type(error).__name__)
        raise ApiError("home_not_answering", {"seconds": timeout}) from None
    gateway.metrics.seconds.labels(kind).observe(time.perf_counter() - started)
    try:
        reply = wire.Reply.from_bytes(message.data)
    except ValueError:
        gateway.metrics.requests.labels(kind, "bad_reply").inc()
        log.error("home %s: the worker's reply to %s is not JSON", caller.home_id, kind)
        raise ApiError("internal_error") from None
    gateway.metrics.requests.labels(kind, "ok" if reply.ok else "refused").inc()
    if reply.ok:
        return reply.result
    code = _WORKER_CODES.get(reply.code, reply.code)
    headers = {"Retry-After": str(RETRY_AFTER_S)} if code == UNAVAILABLE else None
    if reply.retry_after:  # the home's gate says when (too many wrong PINs): as `jibsa serve` answers it
        headers = {"Retry-After": str(reply.retry_after)}
    raise ApiError(code if code in STATUS else "internal_error", refusal_detail(reply, language), headers=headers)


def refusal_detail(reply: wire.Reply, language: str) -> dict[str, Any]:
    """A worker's refusal as a client reads it: what the home's gate said of it (its `detail`, as `jibsa
    serve`'s API gives it), the worker's `code` (stable), and its `reason` from the words catalogue in
    `language` when the worker said one (a worker's English `message` is for logs only)."""
    detail: dict[str, Any] = {**(reply.detail or {}), "code": reply.code}
    said = reply.said
    if said is None and reply.code in _SAID_BY_CODE:
        said = Said(f"provider_errors.{_SAID_BY_CODE[reply.code]}")
    if said is not None and said.key.startswith("provider_errors."):
        try:
            detail["reason"] = say(said, language)
        except (MissingWords, KeyError, ValueError):  # a fact this gateway's catalogue has no words for
            log.info("a worker's refusal %s has no words here", said.key)
    elif reply.message:
        log.debug("a worker's refusal %s: %s", reply.code, reply.message)
    return detail


def create_gateway(settings: ProviderSettings, engine: AsyncEngine, connection: Nats) -> FastAPI:
    """The gateway's ASGI application on an open database engine and NATS connection."""
    # No redirect from "/api/members/" to "/api/members": a path the gateway has not is not found, whatever the method.
    app = FastAPI(
        title="jibsa provider gateway", docs_url=None, redoc_url=None, openapi_url=None, redirect_slashes=False
    )
    accounts = SqlStore(engine)
    tokens = TokenChecker(accounts, connection, TokenCache(settings.token_cache_s, settings.token_cache_size))
    app.state.gateway = Gateway(
        settings, engine, connection, accounts, HomeDirectory(engine),
        LoginThrottle(settings.login_attempts, settings.login_window_s), GatewayMetrics(), tokens,
        Inboxes(connection),
    )  # fmt: skip
    install_error_handlers(app)
    for kind in DOWN_ERRORS:
        app.add_exception_handler(kind, _database_away)
    _home_routes(app)
    _account_routes(app)
    _member_routes(app)
    _operation_routes(app)
    app.add_api_websocket_route("/api/events", relay_events)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(OneErrorLog)  # the outermost of ours: inside Starlette's, which would log it again
    return app


async def _database_away(request: Request, error: Exception) -> JSONResponse:
    """PostgreSQL away (down, restarting, our connection killed): 503, try again shortly; not a 500."""
    if not database_down(error):  # a query refused (a bug): as any unhandled error, logged once with its id
        request_id = request_id_of(request.scope)
        log.error("unhandled error on %s %s (request %s)", request.method, request.url.path, request_id,
                  exc_info=error)  # fmt: skip
        return error_response("internal_error", {"request_id": request_id}, headers={REQUEST_ID: request_id})
    log.warning("the database is not reachable (%s): %s %s answered 503", type(error).__name__, request.method,
                request.url.path)  # fmt: skip
    return error_response(UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_S)})


def _home_routes(app: FastAPI) -> None:
    @app.post("/api/say")
    async def say(body: SayBody, request: Request, caller: Authenticated, key: _Key = None) -> Any:
        answer = body.model_dump(exclude_none=True)
        return await ask(_gateway(request), caller, "say", answer, key, language=client_language(request.headers))

    @app.post("/api/command")
    async def command(body: dict[str, Any], request: Request, caller: Authenticated, key: _Key = None) -> Any:
        try:  # read as the worker will read it, so a malformed command never leaves the gateway
            Command.from_dict(body)
        except CommandFormatError as error:
            raise ApiError("invalid_request", {"command": str(error)}) from None
        return await ask(_gateway(request), caller, "command", body, key, language=client_language(request.headers))

    @app.get("/api/state")
    async def state(request: Request, caller: Authenticated) -> Any:
        return await ask(_gateway(request), caller, "state", {}, language=client_language(request.headers))

    @app.get("/api/devices")
    async def devices(request: Request, caller: Authenticated) -> Any:
        return await ask(_gateway(request), caller, "devices", {}, language=client_language(request.headers))


def _account_routes(app: FastAPI) -> None:
    @app.post("/api/login")
    async def login(body: LoginBody, request: Request) -> dict[str, Any]:
        """A session token for the home's account; failures are limited per address (429) and slow down
        further tries at the same name (never a lock-out), as `jibsa serve` does."""
        gateway = _gateway(request)
        address = client_address(request, gateway.settings)
        if wait := gateway.throttle.retry_after(address):
            gateway.metrics.logins.labels("throttled").inc()
            raise ApiError("too_many_requests", headers={"Retry-After": str(wait)})
        gateway.throttle.attempt(address)
        name_key = f"{body.home}/{body.name}"
        if delay := gateway.throttle.delay(name_key):
            await asyncio.sleep(delay)
        user = await gateway.accounts.get_user(body.home, body.name)
        if not verify_password(user.password_hash if user is not None else None, body.password):
            gateway.throttle.failed(name_key)
            gateway.metrics.logins.labels("failed").inc()
            log.warning("failed login from %s", address)  # neither the home nor the name: a guess names anything
            raise ApiError("bad_credentials")
        assert user is not None
        gateway.throttle.succeeded(address, name_key)
        gateway.metrics.logins.labels("ok").inc()
        session, expires = secrets.token_urlsafe(32), time.time() + gateway.settings.session_ttl_s
        await gateway.accounts.create_session(secret_hash(session), user.id, expires, secrets.token_urlsafe(16))
        return {"token": session, "expires": expires, **_me(Caller(user, role_of(user)))}

    @app.post("/api/logout")
    async def logout(request: Request, caller: Authenticated) -> dict[str, Any]:
        token = request.headers.get("authorization", "").partition(" ")[2].strip()
        gateway = _gateway(request)
        await gateway.accounts.delete_session(secret_hash(token))
        await gateway.tokens.revoke(user_id=str(caller.user.id))  # no gateway answers to it from memory
        return {"ok": True}

    @app.get("/api/me")
    async def me(caller: Authenticated) -> dict[str, Any]:
        return _me(caller)

    @app.post("/api/invites")
    async def invite(body: InviteBody, request: Request, caller: Authenticated) -> dict[str, Any]:
        try:
            code, expires = await _gateway(request).directory.invite(caller.user, body.role, body.ttl_s)
        except TenancyError as error:
            raise ApiError(error.code if error.code in STATUS else "invalid_request") from None
        return {"code": code, "expires": expires, "role": body.role.value}

    @app.post("/api/invites/accept")
    async def accept(body: AcceptBody, request: Request) -> dict[str, Any]:
        gateway = _gateway(request)
        address = client_address(request, gateway.settings)
        if wait := gateway.throttle.retry_after(address):  # a code is a secret to guess, as a password is
            raise ApiError("too_many_requests", headers={"Retry-After": str(wait)})
        gateway.throttle.attempt(address)
        try:
            joined = await gateway.directory.accept(body.code, body.name, body.password)
        except TenancyError as error:
            raise ApiError(error.code if error.code in STATUS else "invalid_request") from None
        gateway.throttle.succeeded(address, "")
        return {"token": joined.token, "home": joined.home_id, "name": body.name, "role": joined.role.value}


def _member_routes(app: FastAPI) -> None:
    @app.get("/api/members")
    async def list_members(request: Request, caller: Authenticated) -> list[dict[str, Any]]:
        """An owner's own home's accounts, oldest first, as `jibsa serve`'s `GET /api/users` gives them (name,
        role) with when each was made; the home is the caller's, never from the request; no hash of anything."""
        if caller.role is not Role.OWNER:
            raise ApiError("forbidden")
        members = await _gateway(request).directory.members(caller.home_id)
        return [{"name": m.name, "role": m.role.value, "created": m.created} for m in members]

    @app.delete("/api/members/{name}")
    async def remove_member(name: str, request: Request, caller: Authenticated) -> dict[str, Any]:
        """An owner removes an account of their own home (the home is the caller's, never from the path):
        its tokens and sessions end, every gateway forgets them and closes its sockets (`jibsa.auth.revoked`).
        Audited in the home's audit log and `provider_audit`. Not oneself, and never the last owner."""
        if caller.role is not Role.OWNER:
            raise ApiError("forbidden")
        if not 0 < len(name) <= 200 or not name.isprintable():  # PostgreSQL takes no NUL; no name holds one
            raise ApiError("invalid_request", {"name": "1-200 printable characters"})
        if name == str(caller.user.name):
            raise ApiError("cannot_remove_self")
        gateway = _gateway(request)
        by = Remover(str(caller.user.name), caller.role.value, "http")
        try:
            removed = await gateway.directory.remove_member(caller.home_id, name, by)
        except TenancyError as error:
            raise ApiError(error.code if error.code in STATUS else "invalid_request") from None
        await gateway.tokens.revoke(user_id=removed.user_id)
        return {"name": removed.name, "role": removed.role.value}


def client_address(request: HTTPConnection, settings: ProviderSettings) -> str:
    """Where a request comes from: the peer, or what a trusted load balancer says it forwarded (behind
    one, every login would otherwise share its address, and one person's guesses would lock out all)."""
    peer = request.client.host if request.client else "unknown"
    if peer in settings.proxies:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:100]
    return peer


def _me(caller: Caller) -> dict[str, Any]:
    return {"home": caller.home_id, "name": str(caller.user.name), "role": caller.role.value}


def _operation_routes(app: FastAPI) -> None:
    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        gateway = _gateway(request)
        database = True
        try:
            async with gateway.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            database = False
        ok = database and gateway.nats.is_connected
        body = {"ok": ok, "nats": gateway.nats.is_connected, "database": database}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        return Response(generate_latest(_gateway(request).metrics.registry), media_type=CONTENT_TYPE_LATEST)


async def relay_events(websocket: WebSocket) -> None:
    """The caller's home's events, as the worker published them, until either side leaves. The subject
    is the caller's home's exactly (no wildcard), so no other home's event can arrive here; of those, the
    caller is sent what they may see (`policy.may_see`, as `jibsa serve` decides it): what someone said
    goes to them and the home's owners, a notification to the person it is for."""
    try:
        caller = await identify(websocket, query_token=True)
    except ApiError:
        await websocket.close(code=CLOSE_NOT_AUTHENTICATED)
        return
    except DOWN_ERRORS as error:
        if not database_down(error):
            raise
        await websocket.close(code=CLOSE_TRY_AGAIN_LATER)
        return
    gateway = _gateway(websocket)
    subject = event_subject(caller.home_id)
    waiting: asyncio.Queue[str | None] = asyncio.Queue(gateway.settings.events_queue)

    async def arrived(message: Msg) -> None:
        if message.subject != subject:
            return
        event = event_for(message.data, str(caller.user.name), caller.role)
        if event is None:
            return
        try:
            waiting.put_nowait(event)
        except asyncio.QueueFull:  # a client that does not read: close rather than hold memory for it
            with suppress(asyncio.QueueFull):
                waiting.get_nowait()
                waiting.put_nowait(None)

    subscription = await gateway.nats.subscribe(subject, cb=arrived)
    try:
        await _watch(gateway, caller.home_id)  # before the socket is open: what happens after, the worker publishes
        await websocket.accept()
    except BaseException:
        with suppress(nats.errors.Error):
            await subscription.unsubscribe()
        raise
    gateway.metrics.sockets.inc()
    sender = asyncio.create_task(_send(websocket, waiting))
    watching = asyncio.create_task(_keep_watching(gateway, caller.home_id))
    guarding = asyncio.create_task(gateway.tokens.guard(caller.token_hash, closer(websocket, sender, watching)))
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        watching.cancel()
        guarding.cancel()
        gateway.metrics.sockets.dec()
        with suppress(nats.errors.Error):
            await subscription.unsubscribe()


async def _watch(gateway: Gateway, home_id: str) -> None:
    """Tell the home's worker that a WebSocket of the home is open (a worker publishes only the events of
    homes someone watches), and wait for its word. No worker answering (none holds the shard, NATS away) is
    not an error: the worker that takes the shard publishes every event until the gateways have said again."""
    timeout = min(1.0, gateway.settings.request_timeout_s)
    with suppress(nats.errors.Error):
        await gateway.nats.request(watch_subject(home_id), b"", timeout=timeout)


async def _keep_watching(gateway: Gateway, home_id: str) -> None:
    """Say it again every third of `events_watch_s` while the socket is open."""
    while True:
        await asyncio.sleep(gateway.settings.events_watch_s / 3)
        await _watch(gateway, home_id)


async def _send(websocket: WebSocket, waiting: asyncio.Queue[str | None]) -> None:
    while (text := await waiting.get()) is not None:
        await websocket.send_text(text)
    await websocket.close(code=CLOSE_TRY_AGAIN_LATER)  # this client fell too far behind
