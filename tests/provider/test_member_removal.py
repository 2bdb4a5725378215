"""Removing an account from a home, through real gateways, a real nats-server and PostgreSQL: an owner over
HTTP (`DELETE /api/members/{name}`) or the operator (`jibsa provider homes members remove`). The account's
tokens and sessions end, on every gateway at once (the TTL is long here: only the announcement on
`jibsa.auth.revoked` explains a refusal), and its open WebSockets close; the removal is audited. The attacks:
no login, a member removing the owner, another home's names and ids, odd names, the last owner."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from gateway_support import RunningGateway
from sqlalchemy.ext.asyncio import AsyncEngine
from test_gateway_revocation import ACCESS_ENDED, LONG_TTL, _another_gateway, _Listener, _listening, _me

from jibsa.api.accounts import hash_password, new_token
from jibsa.cli.main import main
from jibsa.provider.database import access_tokens, metadata, provider_audit, users
from jibsa.provider.tenancy import HomeDirectory, TenancyError
from jibsa.testing.nats_server import NatsServer
from jibsa.words import Said, say

pytestmark = pytest.mark.postgres

_AUDIT_LOG = metadata.tables["audit_log"]
MEMBER_PASSWORD = "member password 5678"


@pytest.fixture
async def gateway(provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer) -> Any:
    from gateway_support import running_gateway

    async with running_gateway(provider_db, provider_url, nats_server.url, **LONG_TTL) as running:
        yield running


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _join(gateway: RunningGateway, home: str, name: str) -> str:
    """A member of `home` named `name`, invited by its owner over HTTP; their access token."""
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        invited = await client.post("/api/invites", json={"role": "member"}, headers=_auth(gateway.tokens[home]))
        assert invited.status_code == 200, invited.text
        joined = await client.post(
            "/api/invites/accept", json={"code": invited.json()["code"], "name": name, "password": MEMBER_PASSWORD}
        )
    assert joined.status_code == 200, joined.text
    token: str = joined.json()["token"]
    return token


async def _remove(gateway: RunningGateway, name: str, token: str | None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        return await client.delete(f"/api/members/{name}", headers=_auth(token) if token else {})


async def _accounts(engine: AsyncEngine, home: str) -> set[str]:
    async with engine.connect() as connection:
        return set((await connection.scalars(sa.select(users.c.name).where(users.c.home_id == home))).all())


async def _refused_soon(base: str, token: str) -> int:
    for _ in range(50):
        status = (await _me(base, token)).status_code
        if status != 200:
            return status
        await asyncio.sleep(0.1)
    return 200


async def test_an_owner_removes_a_member_whose_tokens_end_and_sockets_close_on_every_gateway(
    gateway: RunningGateway, provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    member = await _join(gateway, "h_a", "민지")
    other_member = await _join(gateway, "h_a", "준호")
    async with _another_gateway(provider_url, nats_server.url) as other:
        assert (await _me(other, member)).status_code == 200  # remembered by the other gateway for a minute
        async with _listening(_Listener(other, member), _Listener(other, other_member)) as (removed, kept):
            answer = await _remove(gateway, "민지", gateway.tokens["h_a"])
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"name": "민지", "role": "member"}
            assert (await _me(gateway.base, member)).status_code == 401  # at once where it happened
            assert await _refused_soon(other, member) == 401
            assert await removed.ended() == ACCESS_ENDED
            assert kept.closed is None  # the home's other people go on
        assert (await _me(other, other_member)).status_code == 200
    assert await _accounts(provider_db, "h_a") == {"엄마", "준호"}
    async with provider_db.connect() as connection:
        left = await connection.scalar(sa.select(sa.func.count()).select_from(access_tokens).where(
            access_tokens.c.user_id.notin_(sa.select(users.c.id))))  # fmt: skip
        audited = (await connection.execute(sa.select(_AUDIT_LOG).where(_AUDIT_LOG.c.action == "remove_user"))).all()
        provider = (
            await connection.execute(sa.select(provider_audit).where(provider_audit.c.action == "member_remove"))
        ).all()
    assert left == 0
    assert [(a.home_id, a.user_name, a.role, a.source, a.detail) for a in audited] == [
        ("h_a", "엄마", "owner", "http", {"name": "민지"})
    ]
    assert len(provider) == 1 and provider[0].home_id == "h_a" and "민지" not in str(provider[0].detail)


async def test_without_a_login_nothing_is_removed(gateway: RunningGateway, provider_db: AsyncEngine) -> None:
    member = await _join(gateway, "h_a", "민지")
    for token in (None, "", "not-a-token", new_token()):
        answer = await _remove(gateway, "민지", token)
        assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"
    assert (await _me(gateway.base, member)).status_code == 200
    assert "민지" in await _accounts(provider_db, "h_a")


async def test_a_member_cannot_remove_the_owner_or_another_member(
    gateway: RunningGateway, provider_db: AsyncEngine
) -> None:
    member = await _join(gateway, "h_a", "민지")
    await _join(gateway, "h_a", "준호")
    for name in ("엄마", "준호", "민지"):
        answer = await _remove(gateway, name, member)
        assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert await _accounts(provider_db, "h_a") == {"엄마", "민지", "준호"}
    assert (await _me(gateway.base, gateway.tokens["h_a"])).status_code == 200


async def test_another_homes_names_and_ids_are_not_found_and_untouched(
    gateway: RunningGateway, provider_db: AsyncEngine
) -> None:
    b_member = await _join(gateway, "h_b", "비밀손님")
    async with provider_db.connect() as connection:
        b_ids = list((await connection.scalars(sa.select(users.c.id).where(users.c.home_id == "h_b"))).all())
    assert len(b_ids) == 2
    for name in ("비밀손님", *b_ids, "h_b", "*", "%2A", "..%2F비밀손님", "비밀손님%00", " 비밀손님"):
        answer = await _remove(gateway, name, gateway.tokens["h_a"])
        assert answer.status_code in (404, 422), (name, answer.text)
        assert "비밀손님" not in answer.text and "h_b" not in answer.text.replace(f'"{name}"', "")
    assert await _accounts(provider_db, "h_b") == {"엄마", "비밀손님"}
    assert (await _me(gateway.base, b_member)).status_code == 200


async def test_odd_names_are_refused_or_not_found(gateway: RunningGateway, provider_db: AsyncEngine) -> None:
    before = await _accounts(provider_db, "h_a")
    for name in ("x" * 300, "%EF%BF%BF", "%ED%A0%80", "'; DROP TABLE users; --", "엄마%20", "%0A"):
        answer = await _remove(gateway, name, gateway.tokens["h_a"])
        assert answer.status_code in (404, 422), (name, answer.status_code, answer.text)
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        for path in ("/api/members/", "/api/members"):
            answer = await client.delete(path, headers=_auth(gateway.tokens["h_a"]))
            assert answer.status_code in (404, 405), (path, answer.status_code)
        answer = await client.post("/api/members/민지", headers=_auth(gateway.tokens["h_a"]))
        assert answer.status_code == 405
    assert await _accounts(provider_db, "h_a") == before


async def test_an_owner_cannot_remove_themselves(gateway: RunningGateway, provider_db: AsyncEngine) -> None:
    answer = await _remove(gateway, "엄마", gateway.tokens["h_a"])
    assert answer.status_code == 409 and answer.json()["code"] == "cannot_remove_self"
    assert "엄마" in await _accounts(provider_db, "h_a")


async def _second_owner(engine: AsyncEngine, home: str, name: str) -> str:
    user_id = uuid.uuid4().hex
    async with engine.begin() as connection:
        row = {"id": user_id, "home_id": home, "name": name, "role": "owner",
               "password_hash": hash_password("x" * 12), "created": 0.0}  # fmt: skip
        await connection.execute(sa.insert(users), [row])
    return user_id


async def test_the_last_owner_is_never_removed_even_by_two_owners_at_once(provider_db: AsyncEngine) -> None:
    directory = HomeDirectory(provider_db)
    await directory.add_home("h_two", "둘", "")
    await _second_owner(provider_db, "h_two", "엄마")
    await _second_owner(provider_db, "h_two", "아빠")
    outcomes = await asyncio.gather(
        directory.remove_member("h_two", "엄마"), directory.remove_member("h_two", "아빠"), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, TenancyError)]
    assert len(refused) == 1 and refused[0].code == "last_owner"
    assert len(await _accounts(provider_db, "h_two")) == 1
    left = (await _accounts(provider_db, "h_two")).pop()
    with pytest.raises(TenancyError) as last:
        await directory.remove_member("h_two", left)
    assert last.value.code == "last_owner"


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_operator_removes_a_member_from_the_command_line(
    gateway: RunningGateway, *, provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer,
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str,
) -> None:  # fmt: skip
    member = await _join(gateway, "h_a", "민지")
    assert (await _me(gateway.base, member)).status_code == 200
    config = tmp_path / "provider.yaml"
    config.write_text(f"nats_url: {nats_server.url}\ndatabase_url: {provider_url}\n", encoding="utf-8")
    args = ["--config", str(config), "--lang", language]

    def told(key: str, **fields: str) -> str:
        return say(Said(f"provider_cli.{key}", fields), language) + "\n"

    ran = await asyncio.to_thread(main, ["provider", "homes", "members", "remove", "h_a", "민지", *args])
    assert ran == 0
    assert capsys.readouterr().out == told("member_removed", home="h_a", name="민지")
    assert await _refused_soon(gateway.base, member) == 401  # announced: the gateway's memory forgets it
    assert await asyncio.to_thread(main, ["provider", "homes", "members", "remove", "h_a", "민지", *args]) == 1
    assert capsys.readouterr().err == told("no_member", home="h_a", name="민지")
    assert await asyncio.to_thread(main, ["provider", "homes", "members", "remove", "h_b", "엄마", *args]) == 1
    assert capsys.readouterr().err == told("last_owner", home="h_b", name="엄마")
    assert await asyncio.to_thread(main, ["provider", "homes", "members", "remove", "h_zz", "엄마", *args]) == 1
    assert capsys.readouterr().err == told("no_member", home="h_zz", name="엄마")
    async with provider_db.connect() as connection:
        actors = (await connection.scalars(
            sa.select(provider_audit.c.actor).where(provider_audit.c.action == "member_remove"))).all()  # fmt: skip
    assert actors == ["cli"]
    assert (await _me(gateway.base, gateway.tokens["h_b"])).status_code == 200
