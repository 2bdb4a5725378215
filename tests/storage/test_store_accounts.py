"""Users, access tokens, login sessions and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests_storage_support import empty_every_table

from jibsa.storage import AuditEntry, SqlStore, StorageConflict, StorageNotFound, User, open_store
from jibsa.storage.accounts import TOKEN_USE_NOTED_EVERY_S
from jibsa.storage.schema import access_tokens


async def test_users_are_created_found_listed_and_deleted(store: SqlStore) -> None:
    mom = await store.create_user("home", "엄마", "owner", "$argon2id$hash")
    kid = await store.create_user("home", "민수", "guest")
    assert isinstance(mom, User) and mom.role == "owner" and mom.created > 0 and kid.password_hash is None
    assert await store.get_user("home", "엄마") == mom
    assert await store.get_user_by_id(kid.id) == kid
    assert {u.name for u in await store.list_users("home")} == {"엄마", "민수"}
    await store.delete_user(kid.id)
    await store.delete_user(kid.id)
    assert await store.get_user_by_id(kid.id) is None
    assert await store.list_users("home") == [mom]


async def test_a_name_is_unique_within_a_home_only(store: SqlStore) -> None:
    await store.create_user("home", "아빠", "member")
    with pytest.raises(StorageConflict, match="아빠"):
        await store.create_user("home", "아빠", "guest")
    await store.create_user("other-home", "아빠", "owner")


async def test_an_unknown_role_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="role 'admin'"):
        await store.create_user("home", "누구", "admin")


async def test_setting_a_password(store: SqlStore) -> None:
    user = await store.create_user("home", "엄마", "owner")
    await store.set_password(user.id, "new-hash")
    found = await store.get_user("home", "엄마")
    assert found is not None and found.password_hash == "new-hash"
    with pytest.raises(StorageNotFound):
        await store.set_password("no-such-id", "x")


async def test_tokens_find_their_user_until_revoked(store: SqlStore) -> None:
    user = await store.create_user("home", "엄마", "owner")
    token_id = await store.add_token(user.id, "sha-1", "phone")
    await store.add_token(user.id, "sha-2")
    assert token_id and await store.find_token("sha-1") == user
    assert await store.find_token("unknown") is None
    with pytest.raises(StorageConflict):
        await store.add_token(user.id, "sha-1")
    with pytest.raises(StorageNotFound):
        await store.add_token("no-such-id", "sha-3")
    await store.revoke_tokens(user.id)
    assert await store.find_token("sha-1") is None and await store.find_token("sha-2") is None


async def test_sessions_expire_and_can_be_deleted(store: SqlStore) -> None:
    user = await store.create_user("home", "엄마", "owner")
    await store.create_session("s-1", user.id, expires=200.0, csrf_token="csrf-1")
    await store.create_session("s-2", user.id, expires=50.0, csrf_token="csrf-2")
    assert await store.find_session("s-1", now=100.0) == (user, "csrf-1")
    assert await store.find_session("s-2", now=100.0) is None
    assert await store.find_session("s-2", now=10.0) is None  # an expired session is gone for good
    await store.delete_session("s-1")
    assert await store.find_session("s-1", now=100.0) is None


async def test_a_sessions_user_comes_with_its_end(store: SqlStore) -> None:
    user = await store.create_user("home", "아빠", "member")
    await store.create_session("s-3", user.id, expires=200.0, csrf_token="csrf-3")
    assert await store.session_user("s-3", now=100.0) == (user, 200.0)
    assert await store.session_user("s-3", now=200.0) is None
    assert await store.session_user("s-none", now=100.0) is None
    # The same session as find_session reads it (one query for both), but asking writes nothing: the
    # session ended at 200 is still there to be found at 100, where find_session would have deleted it.
    assert await store.find_session("s-3", now=100.0) == (user, "csrf-3")


async def test_deleting_a_user_ends_their_tokens_and_sessions(store: SqlStore) -> None:
    user = await store.create_user("home", "손님", "guest")
    await store.add_token(user.id, "sha-guest")
    await store.create_session("s-guest", user.id, expires=1e12, csrf_token="c")
    await store.delete_user(user.id)
    assert await store.find_token("sha-guest") is None
    assert await store.find_session("s-guest", now=0.0) is None


async def test_audit_is_newest_first_by_home_with_since_and_limit(store: SqlStore) -> None:
    for at in range(5):
        entry = AuditEntry(
            float(at),
            "home",
            "엄마",
            "owner",
            "token:192.0.2.1",
            "device_command",
            {"intent": "turn_on", "text": "거실 불 켜줘"},
            at % 2 == 0,
            {"changed": ["lamp"]},
        )
        await store.append_audit(entry)
    await store.append_audit(AuditEntry(9.0, "other", "x", "guest", "web", "login", {}, False, {}))
    entries = await store.audit("home")
    assert [e.at for e in entries] == [4.0, 3.0, 2.0, 1.0, 0.0]
    assert entries[0] == AuditEntry(
        4.0,
        "home",
        "엄마",
        "owner",
        "token:192.0.2.1",
        "device_command",
        {"intent": "turn_on", "text": "거실 불 켜줘"},
        True,
        {"changed": ["lamp"]},
    )
    assert [e.at for e in await store.audit("home", limit=2)] == [4.0, 3.0]
    assert [e.at for e in await store.audit("home", since=3.0)] == [4.0, 3.0]
    assert [e.action for e in await store.audit("other")] == ["login"]


async def test_a_tokens_use_is_noted_at_most_once_a_minute(target: str) -> None:
    now = [1000.0]
    opened = await open_store(target, clock=lambda: now[0])
    try:
        user = await opened.create_user("home", "엄마", "owner")
        await opened.add_token(user.id, "sha-used")
        used = sa.select(access_tokens.c.last_used).where(access_tokens.c.token_hash == "sha-used")

        async def last_used() -> float | None:
            async with opened.engine.connect() as connection:
                return await connection.scalar(used)

        assert await opened.find_token("sha-used") == user and await last_used() == 1000.0
        now[0] = 1000.0 + TOKEN_USE_NOTED_EVERY_S - 1
        assert await opened.find_token("sha-used") == user and await last_used() == 1000.0  # noted lately
        now[0] = 1000.0 + TOKEN_USE_NOTED_EVERY_S
        assert await opened.find_token("sha-used") == user and await last_used() == now[0]
        if opened.dialect == "postgresql":  # the note skipped waiting for the disk in its own transaction only
            async with opened.engine.connect() as connection:
                assert await connection.scalar(sa.text("SHOW synchronous_commit")) == "on"
    finally:
        if opened.dialect == "postgresql":
            await empty_every_table(opened)
        await opened.close()
