"""Listing the accounts of a home, through a real gateway, a real nats-server and PostgreSQL: an owner over HTTP
(`GET /api/members`: name, role and when each was made, as `jibsa serve`'s `GET /api/users` gives name and role)
or the operator (`jibsa provider homes members list HOME`). The attacks: no login, a member, home A's token
asking for home B's accounts, odd query strings; nothing of a password or a token is ever in the answer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from gateway_support import PASSWORD, RunningGateway
from sqlalchemy.ext.asyncio import AsyncEngine
from test_member_removal import _auth, _join, _remove

from jibsa.api.accounts import new_token
from jibsa.cli.main import main
from jibsa.presentation.state_words import state_words
from jibsa.provider.database import access_tokens, users
from jibsa.testing.nats_server import NatsServer
from jibsa.words import Said, say

pytestmark = pytest.mark.postgres


@pytest.fixture
async def gateway(provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer) -> Any:
    from gateway_support import running_gateway

    async with running_gateway(provider_db, provider_url, nats_server.url) as running:
        yield running


async def _list(gateway: RunningGateway, token: str | None, query: str = "") -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        return await client.get(f"/api/members{query}", headers=_auth(token) if token else {})


async def _stored(engine: AsyncEngine, home: str) -> list[tuple[str, str, float]]:
    async with engine.connect() as connection:
        query = sa.select(users.c.name, users.c.role, users.c.created).where(users.c.home_id == home)
        return sorted((r.name, r.role, r.created) for r in (await connection.execute(query)).all())


async def _secrets(engine: AsyncEngine) -> list[str]:
    """Every password hash, token hash and account id the database holds: none may reach an answer."""
    async with engine.connect() as connection:
        hashes = (await connection.scalars(sa.select(users.c.password_hash))).all()
        tokens = (await connection.scalars(sa.select(access_tokens.c.token_hash))).all()
        ids = (await connection.scalars(sa.select(users.c.id))).all()
    return [s for s in (*hashes, *tokens, *ids) if s]


async def test_an_owner_lists_every_account_of_their_home_and_nothing_secret(
    gateway: RunningGateway, provider_db: AsyncEngine
) -> None:
    await _join(gateway, "h_a", "민지")
    await _join(gateway, "h_a", "준호")
    answer = await _list(gateway, gateway.tokens["h_a"])
    assert answer.status_code == 200, answer.text
    listed = answer.json()
    assert [(m["name"], m["role"], m["created"]) for m in listed] == sorted(
        await _stored(provider_db, "h_a"), key=lambda m: (m[2], m[0])
    )
    assert {m["name"]: m["role"] for m in listed} == {"엄마": "owner", "민지": "member", "준호": "member"}
    assert all(set(m) == {"name", "role", "created"} for m in listed)
    assert not any(secret in answer.text for secret in await _secrets(provider_db))
    assert PASSWORD not in answer.text and "argon2" not in answer.text


async def test_a_removed_account_is_no_longer_listed(gateway: RunningGateway) -> None:
    await _join(gateway, "h_a", "민지")
    assert (await _remove(gateway, "민지", gateway.tokens["h_a"])).status_code == 200
    assert [m["name"] for m in (await _list(gateway, gateway.tokens["h_a"])).json()] == ["엄마"]


async def test_without_a_login_nothing_is_listed(gateway: RunningGateway) -> None:
    await _join(gateway, "h_a", "민지")
    for token in (None, "", "not-a-token", new_token()):
        answer = await _list(gateway, token)
        assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"
        assert "민지" not in answer.text and "엄마" not in answer.text


async def test_a_member_may_not_list_the_home(gateway: RunningGateway) -> None:
    member = await _join(gateway, "h_a", "민지")
    await _join(gateway, "h_a", "준호")
    for query in ("", "?role=owner", "?all=1"):
        answer = await _list(gateway, member, query)
        assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
        assert "준호" not in answer.text and "엄마" not in answer.text


async def test_home_as_token_never_lists_home_bs_accounts(gateway: RunningGateway, provider_db: AsyncEngine) -> None:
    await _join(gateway, "h_b", "비밀손님")
    own = [m["name"] for m in (await _list(gateway, gateway.tokens["h_a"])).json()]
    assert own == ["엄마"]
    for query in ("?home=h_b", "?home_id=h_b", "?home=h_b&home=h_a", "?name=비밀손님", "?home=*", "?home=h_%3E"):
        answer = await _list(gateway, gateway.tokens["h_a"], query)
        assert answer.status_code == 200, (query, answer.text)
        assert [m["name"] for m in answer.json()] == own, query
        assert "비밀손님" not in answer.text
    b_listed = (await _list(gateway, gateway.tokens["h_b"])).json()
    assert sorted(m["name"] for m in b_listed) == ["비밀손님", "엄마"]  # the same name, its own home's account
    assert [(m["name"], m["role"]) for m in b_listed] == [(n, r) for n, r, _ in sorted(
        await _stored(provider_db, "h_b"), key=lambda m: (m[2], m[0]))]  # fmt: skip


async def test_odd_query_strings_and_paths_list_only_the_owners_home(gateway: RunningGateway) -> None:
    await _join(gateway, "h_b", "비밀손님")
    for query in ("?", "?%00", "?a=%ED%A0%80", "?" + "x" * 4000, "?home[]=h_b", "?;DROP TABLE users", "?%0Ahome=h_b"):
        answer = await _list(gateway, gateway.tokens["h_a"], query)
        assert answer.status_code == 200, (query, answer.status_code)
        assert [m["name"] for m in answer.json()] == ["엄마"]
    async with httpx.AsyncClient(base_url=gateway.base, timeout=10) as client:
        for path in ("/api/members/", "/api/members/h_b", "/api/members/*", "/api/members/비밀손님"):
            answer = await client.get(path, headers=_auth(gateway.tokens["h_a"]))
            assert answer.status_code in (404, 405), (path, answer.status_code)
            assert "비밀손님" not in answer.text


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_operator_lists_a_homes_accounts_from_the_command_line(
    gateway: RunningGateway, *, provider_url: str, nats_server: NatsServer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], language: str,
) -> None:  # fmt: skip
    await _join(gateway, "h_a", "민지")
    config = tmp_path / "provider.yaml"
    config.write_text(f"nats_url: {nats_server.url}\ndatabase_url: {provider_url}\n", encoding="utf-8")
    args = ["--config", str(config), "--lang", language]
    roles = state_words(language)

    assert await asyncio.to_thread(main, ["provider", "homes", "members", "list", "h_a", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"엄마\t{roles.role('owner')}", f"민지\t{roles.role('member')}"]
    assert roles.role("owner") != roles.role("member")

    assert await asyncio.to_thread(main, ["provider", "homes", "members", "list", "h_zz", *args]) == 1
    told = capsys.readouterr()
    assert told.out == "" and told.err == say(Said("provider_cli.no_home", {"home": "h_zz"}), language) + "\n"
    if language == "ko":
        assert told.err == "'h_zz' 집이 없어요\n"
