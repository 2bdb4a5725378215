"""`SocketAccess`, the gateway's open WebSockets checked again when their access may have ended, with the
token lookup as a table the test edits (the database's part is tested through real gateways in
test_gateway_revocation.py): a revocation checks the sockets it names only, NATS coming back checks every
socket, a session's end closes its socket, and a database that cannot be asked closes with 1013."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from jibsa.provider.socket_access import Holder, SocketAccess


@dataclass(frozen=True)
class _User:
    id: str
    home_id: str


class _Tokens:
    """Token hash -> (account, session end); what the database would say now. Counts the lookups."""

    def __init__(self) -> None:
        self.held: dict[str, Holder] = {}
        self.asked: list[str] = []
        self.away = False
        self.broken = False
        self.reconnected = False

    async def holder(self, token_hash: str) -> Holder | None:
        self.asked.append(token_hash)
        if self.away:
            raise ConnectionRefusedError("the database is away")
        if self.broken:
            raise RuntimeError("a failure nobody foresaw")
        return self.held.get(token_hash)


class _Socket:
    def __init__(self) -> None:
        self.closed: list[tuple[int, str]] = []

    async def close(self, code: int, reason: str) -> None:
        self.closed.append((code, reason))


def _access(tokens: _Tokens, notice_s: float = 60.0) -> SocketAccess:
    access: SocketAccess

    def caught_up() -> None:
        if tokens.reconnected:
            tokens.reconnected = False
            access.revoked()

    access = SocketAccess(tokens.holder, caught_up, notice_s=notice_s)
    return access


async def _settled(access: SocketAccess, expected: int) -> None:
    for _ in range(200):
        if len(access) == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{len(access)} sockets known, not {expected}")


async def _one_guarded_socket() -> tuple[_Tokens, SocketAccess, _Socket, asyncio.Task[None]]:
    """Account a1 of home h_a, whose token holds, with one socket open and guarded."""
    tokens = _Tokens()
    tokens.held = {"t_a1": (_User("a1", "h_a"), None)}
    access = _access(tokens)
    socket = _Socket()
    guard = asyncio.create_task(access.guard("t_a1", socket.close))
    await _settled(access, 1)
    return tokens, access, socket, guard


async def test_a_revocation_checks_the_sockets_it_names_and_closes_those_that_ended() -> None:
    tokens = _Tokens()
    tokens.held = {"t_a1": (_User("a1", "h_a"), None), "t_a2": (_User("a2", "h_a"), None),
                   "t_b1": (_User("b1", "h_b"), None)}  # fmt: skip
    access = _access(tokens)
    sockets = {token: _Socket() for token in tokens.held}
    guards = [asyncio.create_task(access.guard(token, socket.close)) for token, socket in sockets.items()]
    await _settled(access, 3)
    tokens.asked.clear()
    del tokens.held["t_a1"]
    assert access.revoked(user_id="a1") == 1
    await _settled(access, 2)
    assert tokens.asked == ["t_a1"]  # the others were not asked about
    assert sockets["t_a1"].closed == [(1008, "access ended")]
    assert access.revoked(home_id="h_b") == 1
    await asyncio.sleep(0.05)
    assert sockets["t_b1"].closed == [] and len(access) == 2  # still holds: stays open
    for guard in guards:
        guard.cancel()
    await asyncio.gather(*guards, return_exceptions=True)
    assert len(access) == 0


async def test_nats_coming_back_checks_every_socket() -> None:
    tokens = _Tokens()
    tokens.held = {"t_a1": (_User("a1", "h_a"), None), "t_b1": (_User("b1", "h_b"), None)}
    access = _access(tokens, notice_s=0.05)
    sockets = {token: _Socket() for token in tokens.held}
    guards = [asyncio.create_task(access.guard(token, socket.close)) for token, socket in sockets.items()]
    await _settled(access, 2)
    tokens.held.clear()  # revoked while NATS was away: nobody heard it
    await asyncio.sleep(0.2)
    assert len(access) == 2 and not sockets["t_a1"].closed  # no reason to ask yet
    tokens.reconnected = True
    await _settled(access, 0)
    assert sockets["t_a1"].closed == sockets["t_b1"].closed == [(1008, "access ended")]
    await asyncio.gather(*guards)


async def test_a_sessions_socket_is_checked_when_the_session_ends() -> None:
    tokens = _Tokens()
    loop = asyncio.get_running_loop()
    ends = loop.time() + 0.2
    tokens.held = {"session": (_User("a1", "h_a"), ends)}
    access = SocketAccess(tokens.holder, lambda: None, clock=loop.time, notice_s=60.0)
    socket = _Socket()
    guard = asyncio.create_task(access.guard("session", socket.close))
    await _settled(access, 1)
    del tokens.held["session"]  # what the database says once the session has ended
    await asyncio.wait_for(guard, 10)
    assert socket.closed == [(1008, "access ended")] and loop.time() >= ends


async def test_a_socket_that_cannot_be_checked_is_closed_to_be_opened_again() -> None:
    tokens, access, socket, guard = await _one_guarded_socket()
    tokens.away = True
    access.revoked(home_id="h_a")
    await asyncio.wait_for(guard, 10)
    assert socket.closed == [(1013, "try again later")]


async def test_a_token_revoked_before_its_socket_was_known_is_closed_at_once() -> None:
    tokens = _Tokens()
    access = _access(tokens)
    socket = _Socket()
    await asyncio.wait_for(access.guard("t_gone", socket.close), 10)
    assert socket.closed == [(1008, "access ended")] and len(access) == 0


async def test_a_failure_nobody_foresaw_closes_the_socket_rather_than_leave_it_unguarded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tokens, access, socket, guard = await _one_guarded_socket()
    tokens.broken = True
    access.revoked(user_id="a1")
    await asyncio.wait_for(guard, 10)
    assert socket.closed == [(1011, "internal error")] and len(access) == 0
    assert "could not be checked" in caplog.text
