"""Attacks on the gateways' memory of tokens (`token_cache_s`), through real gateways, a real nats-server
and PostgreSQL: a logged-out session and a deleted home's token are refused at once, on the gateway where
it happened and on every other (the revocation travels on NATS; the TTL is set long here, so only that
message can explain a refusal), and a remembered token never opens another home. A WebSocket opened before
its token was revoked, or whose session ends while it is open, is closed on every gateway (1008 "access
ended") and relays nothing more, while the home's other sockets go on."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from gateway_support import PASSWORD, RunningGateway, running_gateway
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from jibsa.provider.database import login_sessions
from jibsa.provider.gateway_process import READY, run_gateway
from jibsa.provider.home_data import delete_home
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import command_subject, event_subject
from jibsa.provider.token_cache import announce
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres

LONG_TTL = {"token_cache_s": 60.0}


@contextlib.asynccontextmanager
async def _another_gateway(database: str, nats_url: str) -> AsyncIterator[str]:
    """A second gateway of the same deployment (same database and NATS); its base URL."""
    settings = ProviderSettings(nats_url=nats_url, database_url=database, gateway_bind="127.0.0.1:0", **LONG_TTL)
    stop, lines = asyncio.Event(), asyncio.Queue[str]()
    serving = asyncio.create_task(run_gateway(settings, stop, lines.put_nowait))
    line = await asyncio.wait_for(lines.get(), 30)
    assert line.startswith(READY)
    try:
        yield line.split()[-1]
    finally:
        stop.set()
        await serving


@pytest.fixture
async def gateway(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> AsyncIterator[RunningGateway]:
    async with running_gateway(provider_db, provider_url, nats_server.url, **LONG_TTL) as running:
        yield running


async def _login(base: str, home: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        answer = await client.post("/api/login", json={"home": home, "name": "엄마", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


async def _me(base: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        return await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})


async def _refused_soon(base: str, token: str) -> int:
    """The status of /api/me once it is no longer 200, waiting at most a few seconds for NATS to deliver
    the revocation (the TTL is a minute: without the message the answer stays 200)."""
    for _ in range(50):
        status = (await _me(base, token)).status_code
        if status != 200:
            return status
        await asyncio.sleep(0.1)
    return 200


async def test_a_logged_out_session_is_refused_at_once_here_and_soon_on_every_gateway(
    gateway: RunningGateway, provider_url: str, nats_server: NatsServer
) -> None:
    async with _another_gateway(provider_url, nats_server.url) as other:
        session = await _login(gateway.base, "h_a")
        assert (await _me(gateway.base, session)).status_code == 200  # remembered by both gateways now
        assert (await _me(other, session)).status_code == 200
        async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
            out = await client.post("/api/logout", headers={"Authorization": f"Bearer {session}"})
        assert out.status_code == 200
        here = await _me(gateway.base, session)
        assert here.status_code == 401 and here.json()["code"] == "not_authenticated"
        assert await _refused_soon(other, session) == 401


async def test_unannounced_the_memory_holds_which_is_why_revocations_are_announced(
    gateway: RunningGateway, provider_db: AsyncEngine
) -> None:
    """The control of the test above: a session deleted behind the gateways' backs (no logout, no
    message) is still believed within the TTL. So the refusals above come from the revocation."""
    session = await _login(gateway.base, "h_a")
    assert (await _me(gateway.base, session)).status_code == 200
    async with provider_db.begin() as connection:
        await connection.execute(sa.delete(login_sessions))
    assert (await _me(gateway.base, session)).status_code == 200


async def test_a_deleted_homes_tokens_are_refused_by_every_gateway(
    gateway: RunningGateway, provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    token = gateway.tokens["h_c"]
    async with _another_gateway(provider_url, nats_server.url) as other:
        assert (await _me(gateway.base, token)).status_code == 200
        assert (await _me(other, token)).status_code == 200
        await delete_home(provider_db, "h_c")
        assert await announce(nats_server.url, home_id="h_c")
        assert await _refused_soon(gateway.base, token) == 401
        assert await _refused_soon(other, token) == 401
        assert (await _me(other, gateway.tokens["h_a"])).json()["home"] == "h_a"  # other homes go on


async def test_a_remembered_token_never_opens_another_home(gateway: RunningGateway) -> None:
    """Home A's and home B's tokens, each remembered, alternately on the same gateway: each names its own
    home only, and a token one character off A's is a stranger even while A's is remembered."""
    token_a, token_b = gateway.tokens["h_a"], gateway.tokens["h_b"]
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        for _ in range(3):
            for token, home in ((token_a, "h_a"), (token_b, "h_b")):
                answer = await client.get("/api/state", headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 200
                me = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
                assert me.json()["home"] == home
        near = token_a[:-1] + ("A" if token_a[-1] != "A" else "B")
        stranger = await client.get("/api/state", headers={"Authorization": f"Bearer {near}"})
    assert stranger.status_code == 401
    heard = [(subject, request.home) for subject, request in gateway.responder.heard]
    assert heard.count((command_subject("h_a"), "h_a")) == 3 and heard.count((command_subject("h_b"), "h_b")) == 3
    assert len(heard) == 6


async def test_an_unreachable_nats_is_told_not_raised() -> None:
    assert not await announce("nats://127.0.0.1:1", home_id="h_a")


class _Listener:
    """A client's WebSocket of the events, on one gateway, with one token: what it got and how it ended."""

    def __init__(self, base: str, token: str) -> None:
        self.url = base.replace("http://", "ws://") + f"/api/events?token={token}"
        self.got: list[str] = []
        self.closed: tuple[int | None, str | None] | None = None
        self._socket: ClientConnection | None = None
        self._reading: asyncio.Task[None] | None = None

    async def open(self) -> _Listener:
        self._socket = await connect(self.url)
        self._reading = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._socket is not None
        try:
            async for message in self._socket:
                self.got.append(json.loads(message)["event"])
        except ConnectionClosed:
            pass
        self.closed = (self._socket.close_code, self._socket.close_reason)

    async def ended(self, within_s: float = 15.0) -> tuple[int | None, str | None]:
        """How the gateway closed the socket, waiting at most `within_s` (a bound, not a target)."""
        assert self._reading is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._reading), within_s)
        return self.closed if self.closed is not None else (None, "still open")

    async def leave(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reading is not None:
            await self._reading


@contextlib.asynccontextmanager
async def _listening(*listeners: _Listener) -> AsyncIterator[tuple[_Listener, ...]]:
    opened: list[_Listener] = []
    try:
        for listener in listeners:
            opened.append(await listener.open())
        await asyncio.sleep(0.3)  # each gateway subscribes right after accepting
        yield listeners
    finally:
        for listener in opened:
            await listener.leave()


async def _publish(gateway: RunningGateway, home: str, event: str) -> None:
    """An event of the home, as its worker publishes it, for everyone of the home."""
    document = {"audience": {"person": None, "owners": False}, "event": {"event": event}}
    await gateway.nats.publish(event_subject(home), json.dumps(document).encode())
    await gateway.nats.flush()


async def _got(listener: _Listener, event: str) -> bool:
    for _ in range(100):
        if event in listener.got:
            return True
        await asyncio.sleep(0.05)
    return False


ACCESS_ENDED = (1008, "access ended")


async def test_a_logout_closes_that_sessions_websockets_on_every_gateway_and_nothing_else(
    gateway: RunningGateway, provider_url: str, nats_server: NatsServer
) -> None:
    async with _another_gateway(provider_url, nats_server.url) as other:
        session = await _login(gateway.base, "h_a")
        same_person = gateway.tokens["h_a"]  # the same account's access token: the logout does not end it
        async with _listening(
            _Listener(gateway.base, session), _Listener(other, session), _Listener(other, same_person)
        ) as (here, there, kept):
            await _publish(gateway, "h_a", "before")
            assert all([await _got(here, "before"), await _got(there, "before"), await _got(kept, "before")])
            async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
                out = await client.post("/api/logout", headers={"Authorization": f"Bearer {session}"})
            assert out.status_code == 200
            assert await here.ended() == ACCESS_ENDED
            assert await there.ended() == ACCESS_ENDED
            await _publish(gateway, "h_a", "after")
            assert await _got(kept, "after")
            assert "after" not in here.got and "after" not in there.got
            assert kept.closed is None


async def test_a_deleted_homes_websockets_are_closed_on_every_gateway(
    gateway: RunningGateway, provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    async with (
        _another_gateway(provider_url, nats_server.url) as other,
        _listening(
            _Listener(gateway.base, gateway.tokens["h_c"]), _Listener(other, gateway.tokens["h_c"]),
            _Listener(other, gateway.tokens["h_a"]),
        ) as (here, there, home_a),
    ):  # fmt: skip
        await delete_home(provider_db, "h_c")
        assert await announce(nats_server.url, home_id="h_c")
        assert await here.ended() == ACCESS_ENDED
        assert await there.ended() == ACCESS_ENDED
        await _publish(gateway, "h_c", "after")
        await _publish(gateway, "h_a", "after")
        assert await _got(home_a, "after")
        assert here.got == there.got == [] and home_a.closed is None


async def test_a_removed_members_websocket_is_closed_when_the_removal_is_announced(
    gateway: RunningGateway, provider_url: str, nats_server: NatsServer
) -> None:
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        owner = {"Authorization": f"Bearer {gateway.tokens['h_a']}"}
        code = (await client.post("/api/invites", json={"role": "member"}, headers=owner)).json()["code"]
        joined = await client.post("/api/invites/accept", json={"code": code, "name": "딸", "password": PASSWORD})
    member = joined.json()["token"]
    member_user = await gateway.store.get_user("h_a", "딸")
    assert member_user is not None
    async with (
        _another_gateway(provider_url, nats_server.url) as other,
        _listening(_Listener(other, member), _Listener(other, gateway.tokens["h_a"])) as (removed, owner_socket),
    ):
        await gateway.store.delete_user(member_user.id)
        assert await announce(nats_server.url, user_id=str(member_user.id))
        assert await removed.ended() == ACCESS_ENDED
        await _publish(gateway, "h_a", "after")
        assert await _got(owner_socket, "after") and "after" not in removed.got


async def test_a_websocket_is_closed_when_its_login_session_ends(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    async with running_gateway(provider_db, provider_url, nats_server.url, session_ttl_s=2.0, **LONG_TTL) as gateway:
        session = await _login(gateway.base, "h_a")
        async with _listening(_Listener(gateway.base, session), _Listener(gateway.base, gateway.tokens["h_a"])) as (
            timed,
            kept,
        ):
            assert await timed.ended() == ACCESS_ENDED  # within the bound; its session lasted 2 s
            await _publish(gateway, "h_a", "after")
            assert await _got(kept, "after") and kept.closed is None


async def test_a_revocation_missed_while_nats_was_away_closes_the_socket_once_nats_is_back(
    gateway: RunningGateway, provider_db: AsyncEngine, nats_server: NatsServer
) -> None:
    """No gateway can hear a revocation while NATS is away; the gateway checks its sockets again once it
    is back (within a few seconds: a bound here, not a target), and only the revoked one ends."""
    session = await _login(gateway.base, "h_a")
    async with _listening(_Listener(gateway.base, session), _Listener(gateway.base, gateway.tokens["h_a"])) as (
        missed,
        kept,
    ):
        nats_server.stop()
        async with provider_db.begin() as connection:  # the session ends while nobody could announce it
            await connection.execute(sa.delete(login_sessions))
        nats_server.start()  # the same port
        assert await missed.ended(within_s=30) == ACCESS_ENDED
        for _ in range(10):  # the test's own NATS connection and the gateway's come back on their own
            await _publish(gateway, "h_a", "after")
            if await _got(kept, "after"):
                break
        assert "after" in kept.got and kept.closed is None
