"""Accounts belong to one home; an owner invites members with a code that expires and works once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.api.accounts import secret_hash
from jibsa.domain import Role
from jibsa.home_file import sample_home_text
from jibsa.provider.home_data import home_from_file, import_homes
from jibsa.provider.tenancy import HomeDirectory, TenancyError
from jibsa.storage import SqlStore

pytestmark = pytest.mark.postgres


class _Clock:
    def __init__(self) -> None:
        self.now = 1_765_000_000.0

    def __call__(self) -> float:
        return self.now


async def _two_homes(engine: AsyncEngine) -> tuple[SqlStore, object, object]:
    await import_homes(engine, [home_from_file(sample_home_text(), "a", "h_a"),
                                home_from_file(sample_home_text(), "b", "h_b")])  # fmt: skip
    store = SqlStore(engine)
    owner_a = await store.create_user("h_a", "엄마", Role.OWNER.value)
    member_b = await store.create_user("h_b", "아빠", Role.MEMBER.value)
    return store, owner_a, member_b


async def test_an_invitation_joins_its_home_once_and_the_token_is_of_that_home(provider_db: AsyncEngine) -> None:
    store, owner_a, _ = await _two_homes(provider_db)
    directory = HomeDirectory(provider_db)
    code, _ = await directory.invite(owner_a, Role.MEMBER)
    joined = await directory.accept(code, "딸", "비밀번호1234")
    assert (joined.home_id, joined.role) == ("h_a", Role.MEMBER)
    user = await store.find_token(secret_hash(joined.token))
    assert user is not None and (user.home_id, user.name, user.role) == ("h_a", "딸", "member")
    with pytest.raises(TenancyError) as again:
        await directory.accept(code, "아들", "비밀번호1234")
    assert again.value.code == "bad_invite"
    assert await store.get_user("h_a", "아들") is None


async def test_of_two_people_racing_with_one_code_exactly_one_joins(provider_db: AsyncEngine) -> None:
    _, owner_a, _ = await _two_homes(provider_db)
    directory = HomeDirectory(provider_db)
    code, _ = await directory.invite(owner_a, Role.GUEST)
    results = await asyncio.gather(
        *(directory.accept(code, f"손님{n}", "비밀번호1234") for n in range(5)), return_exceptions=True
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, TenancyError) and r.code == "bad_invite" for r in results if isinstance(r, BaseException))


async def test_an_expired_code_a_taken_name_and_a_non_owner_are_refused(provider_db: AsyncEngine) -> None:
    store, owner_a, member_b = await _two_homes(provider_db)
    clock = _Clock()
    directory = HomeDirectory(provider_db, clock)
    code, expires = await directory.invite(owner_a, Role.MEMBER, ttl_s=60)
    clock.now = expires
    with pytest.raises(TenancyError) as expired:
        await directory.accept(code, "딸", "비밀번호1234")
    assert expired.value.code == "bad_invite"

    clock.now = 1_765_000_000.0
    code, _ = await directory.invite(owner_a, Role.MEMBER)
    with pytest.raises(TenancyError) as taken:
        await directory.accept(code, "엄마", "비밀번호1234")
    assert taken.value.code == "user_exists"
    assert (await directory.accept(code, "딸", "비밀번호1234")).home_id == "h_a"  # the code was not used up

    with pytest.raises(TenancyError) as not_owner:
        await directory.invite(member_b, Role.MEMBER)
    assert not_owner.value.code == "forbidden"
    with pytest.raises(TenancyError):
        await directory.invite(owner_a, Role.OWNER)
    with pytest.raises(TenancyError) as guessed:
        await directory.accept("jibsa_invite_" + "A" * 32, "해커", "비밀번호1234")
    assert guessed.value.code == "bad_invite"
    assert [u.name for u in await store.list_users("h_b")] == ["아빠"]
