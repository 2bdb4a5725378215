"""The audit log stays bounded: every field within its size, old entries pruned by the retention; and
a password change ends the person's sessions. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests_storage_support import empty_every_table

from jibsa.storage import AuditEntry, SqlStore, open_store
from jibsa.storage.accounts import MAX_AUDIT_DOC_CHARS, TRUNCATED

DAY = 86_400.0


def _entry(at: float, home: str = "home", **fields: object) -> AuditEntry:
    values: dict[str, object] = {
        "user": "엄마",
        "role": "owner",
        "source": "token:127.0.0.1",
        "action": "conversation",
        "detail": {"text": "불 꺼"},
        "result": {},
    }
    values.update(fields)
    return AuditEntry(at, home, **values)  # type: ignore[arg-type]


async def test_oversized_fields_are_cut_and_marked(store: SqlStore) -> None:
    params = {"property": "brightness", "value": 40, "note": "x" * 10_000_000}  # 10 MB of params
    await store.append_audit(
        _entry(
            1.0, user="u" * 500, source="s" * 500, action="a" * 200, detail={"params": params}, result={"echo": params}
        )
    )
    (stored,) = await store.audit("home")
    assert stored.detail[TRUNCATED] > 10_000_000 and stored.result[TRUNCATED] > 10_000_000
    assert stored.detail["preview"].startswith('{"params": {"property": "brightness"')
    assert len(json.dumps(stored.detail)) < MAX_AUDIT_DOC_CHARS
    assert len(stored.user) <= 200 and len(stored.source) <= 200 and len(stored.action) <= 64
    assert stored.user.endswith("…")


async def test_fields_within_bounds_are_kept_as_they_are(store: SqlStore) -> None:
    detail = {"text": "거실 불 꺼줘", "items": list(range(100))}
    await store.append_audit(_entry(1.0, detail=detail))
    (stored,) = await store.audit("home")
    assert stored.detail == detail


async def test_entries_older_than_the_retention_are_pruned(target: str) -> None:
    store = await open_store(target, audit_days=1)
    try:
        await store.append_audit(_entry(1000.0))
        await store.append_audit(_entry(1000.0, home="other"))
        await store.append_audit(_entry(1000.0 + 0.5 * DAY))
        assert len(await store.audit("home")) == 2
        await store.append_audit(_entry(1000.0 + 1.3 * DAY))
        assert [e.at for e in await store.audit("home")] == [1000.0 + 1.3 * DAY, 1000.0 + 0.5 * DAY]
        assert len(await store.audit("other")) == 1  # another home's log is its own
    finally:
        if store.dialect == "postgresql":
            await empty_every_table(store)
        await store.close()


async def test_the_audit_log_is_kept_for_ever_when_asked(target: str) -> None:
    store = await open_store(target, audit_days=0)
    try:
        await store.append_audit(_entry(1000.0))
        await store.append_audit(_entry(1000.0 + 4000 * DAY))
        assert len(await store.audit("home")) == 2
    finally:
        if store.dialect == "postgresql":
            await empty_every_table(store)
        await store.close()


async def test_a_password_change_ends_that_persons_sessions_only(store: SqlStore) -> None:
    mom = await store.create_user("home", "엄마", "owner", "old-hash")
    kid = await store.create_user("home", "민수", "guest", "kid-hash")
    await store.create_session("mom-phone", mom.id, 10_000.0, "csrf1")
    await store.create_session("mom-laptop", mom.id, 10_000.0, "csrf2")
    await store.create_session("kid-tablet", kid.id, 10_000.0, "csrf3")
    await store.set_password(mom.id, "new-hash")
    assert await store.find_session("mom-phone", 1.0) is None and await store.find_session("mom-laptop", 1.0) is None
    assert await store.find_session("kid-tablet", 1.0) is not None


async def test_ending_sessions(store: SqlStore) -> None:
    mom = await store.create_user("home", "엄마", "owner")
    await store.create_session("mom-phone", mom.id, 10_000.0, "csrf1")
    assert await store.end_sessions(mom.id) == 1
    assert await store.find_session("mom-phone", 1.0) is None
    assert await store.end_sessions(mom.id) == 0
