"""The server's part of the store: users, access tokens, login sessions and the audit log.

Secrets arrive hashed (tokens and session ids as SHA-256, passwords as argon2); nothing here sees them
in clear.
"""

from __future__ import annotations

import functools
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Role
from jibsa.storage.base import Clock, StoreBase
from jibsa.storage.errors import StorageConflict, StorageNotFound
from jibsa.storage.group_commit import GroupCommit
from jibsa.storage.records import AuditEntry, User
from jibsa.storage.schema import access_tokens, audit_log, login_sessions, users

DEFAULT_AUDIT_DAYS = 90.0  # audit entries older than this are deleted (0 or None: kept for ever)
AUDIT_PRUNE_EVERY_S = 3600.0
TOKEN_USE_NOTED_EVERY_S = 60.0  # an access token's last_used is this precise
MAX_AUDIT_DOC_CHARS = 16_384  # an entry's detail or result, as JSON; longer ones keep a marked preview
AUDIT_PREVIEW_CHARS = 1024
TRUNCATED = "_truncated"  # the key of a shortened document: how many characters the whole one had


def _user(row: Any) -> User:
    return User(row.id, row.home_id, row.name, row.role, row.password_hash, row.created)


class AccountRecords(StoreBase):
    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock = time.time,
        *,
        audit_days: float | None = DEFAULT_AUDIT_DAYS,
        **rest: Any,
    ) -> None:
        super().__init__(engine, clock, **rest)
        self._audit_days = audit_days if audit_days and audit_days > 0 else None  # None: keep all
        self._audit_pruned: dict[str, float] = {}  # home id -> when its audit log was last pruned
        self._audit_writes = GroupCommit(self._write_audit)

    async def create_user(self, home_id: str, name: str, role: str, password_hash: str | None = None) -> User:
        """A new user of the home; `StorageConflict` if the home has a user of that name."""
        role = str(role)
        if role not in {r.value for r in Role}:
            raise ValueError(f"role {role!r}: use one of {', '.join(r.value for r in Role)}")
        user = User(uuid.uuid4().hex, home_id, name, role, password_hash, self._now())
        try:
            await self._execute(sa.insert(users), [_user_row(user)])
        except IntegrityError as error:
            raise StorageConflict(f"home {home_id!r} already has a user named {name!r}") from error
        return user

    async def get_user(self, home_id: str, name: str) -> User | None:
        return await self._one_user(sa.and_(users.c.home_id == home_id, users.c.name == name))

    async def get_user_by_id(self, user_id: str) -> User | None:
        return await self._one_user(users.c.id == user_id)

    async def list_users(self, home_id: str) -> list[User]:
        """The home's users by name."""
        query = sa.select(users).where(users.c.home_id == home_id).order_by(users.c.name)
        async with self._engine.connect() as connection:
            return [_user(row) for row in (await connection.execute(query)).all()]

    async def set_password(self, user_id: str, password_hash: str) -> None:
        """Replace the user's password hash and end their login sessions (whoever knew the old password
        is logged out); `StorageNotFound` for an unknown user."""
        query = sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash)

        def write(connection: Connection) -> None:
            if connection.execute(query).rowcount == 0:
                raise StorageNotFound(f"no user with id {user_id!r}")
            connection.execute(sa.delete(login_sessions).where(login_sessions.c.user_id == user_id))

        await self._write(write)

    async def delete_user(self, user_id: str) -> None:
        """Remove the user with their tokens and sessions; nothing happens for an unknown id."""

        def write(connection: Connection) -> None:
            for table in (access_tokens, login_sessions):
                connection.execute(sa.delete(table).where(table.c.user_id == user_id))
            connection.execute(sa.delete(users).where(users.c.id == user_id))

        await self._write(write)

    async def add_token(self, user_id: str, token_hash: str, label: str = "") -> str:
        """Keep an access token's hash for the user; returns the token's id."""
        token_id = uuid.uuid4().hex
        row = {
            "id": token_id,
            "user_id": user_id,
            "token_hash": token_hash,
            "label": label,
            "created": self._now(),
            "last_used": None,
        }
        if await self.get_user_by_id(user_id) is None:
            raise StorageNotFound(f"no user with id {user_id!r}")
        try:
            await self._execute(sa.insert(access_tokens), [row])
        except IntegrityError as error:  # the hash is taken (or the user was deleted meanwhile)
            raise StorageConflict(f"cannot add this token for user {user_id!r}: {error.orig}") from error
        return token_id

    async def find_token(self, token_hash: str) -> User | None:
        """The user the token belongs to, or None. That it was used is noted at most once a minute
        (`TOKEN_USE_NOTED_EVERY_S`): a request that finds it noted lately writes nothing, so checking a
        token costs one read, not a transaction that waits for the disk."""
        query = (sa.select(users, access_tokens.c.id.label("token_id"), access_tokens.c.last_used)
                 .join(access_tokens, access_tokens.c.user_id == users.c.id)
                 .where(access_tokens.c.token_hash == token_hash))  # fmt: skip
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        now = self._now()
        if row.last_used is None or now - row.last_used >= TOKEN_USE_NOTED_EVERY_S:
            noted = sa.update(access_tokens).where(access_tokens.c.id == row.token_id).values(last_used=now)
            await self._write(functools.partial(_note_lightly, noted))
        return _user(row)

    async def revoke_tokens(self, user_id: str) -> None:
        """Forget every access token of the user."""
        await self._execute(sa.delete(access_tokens).where(access_tokens.c.user_id == user_id))

    async def create_session(self, session_hash: str, user_id: str, expires: float, csrf_token: str) -> None:
        """Keep a login session until `expires` (epoch seconds)."""
        row = {"session_hash": session_hash, "user_id": user_id, "expires": expires, "csrf_token": csrf_token}
        try:
            await self._execute(sa.insert(login_sessions), [row])
        except IntegrityError as error:
            raise StorageConflict(f"cannot create the session for user {user_id!r}: {error.orig}") from error

    async def find_session(self, session_hash: str, now: float) -> tuple[User, str] | None:
        """The session's user and CSRF token; None if there is no such session or it expired by `now`."""
        row = await self._session_row(session_hash)
        if row is None:
            return None
        if row.expires <= now:
            await self.delete_session(session_hash)
            return None
        return _user(row), str(row.csrf_token)

    async def session_user(self, session_hash: str, now: float) -> tuple[User, float] | None:
        """The session's user and when it expires (epoch seconds); None as `find_session` says None (an
        expired session is left for `delete_expired_sessions`: a gateway's check writes nothing)."""
        row = await self._session_row(session_hash)
        return None if row is None or row.expires <= now else (_user(row), float(row.expires))

    async def _session_row(self, session_hash: str) -> Any:
        """The session's row with its user's columns, its expiry and its CSRF token; None for no session."""
        query = (sa.select(users, login_sessions.c.expires, login_sessions.c.csrf_token)
                 .join(login_sessions, login_sessions.c.user_id == users.c.id)
                 .where(login_sessions.c.session_hash == session_hash))  # fmt: skip
        async with self._engine.connect() as connection:
            return (await connection.execute(query)).first()

    async def delete_session(self, session_hash: str) -> None:
        await self._execute(sa.delete(login_sessions).where(login_sessions.c.session_hash == session_hash))

    async def end_sessions(self, user_id: str) -> int:
        """End every login session of the user; returns how many there were."""
        return await self._execute(sa.delete(login_sessions).where(login_sessions.c.user_id == user_id))

    async def delete_expired_sessions(self, now: float) -> int:
        """Forget every session that expired by `now`; returns how many."""
        return await self._execute(sa.delete(login_sessions).where(login_sessions.c.expires <= now))

    async def append_audit(self, entry: AuditEntry) -> None:
        """Record one entry of the audit log, every field within its bound (longer text is cut, a larger
        document keeps a preview marked `_truncated`); returns once it is durable. Entries older than
        the retention are deleted now and then."""
        row = {
            "home_id": entry.home_id, "at": entry.at, "user_name": _cut(entry.user, 200),
            "role": _cut(str(entry.role), 16), "source": _cut(entry.source, 200), "action": _cut(entry.action, 64),
            "detail": bounded_json(entry.detail), "ok": bool(entry.ok), "result": bounded_json(entry.result),
        }  # fmt: skip
        await self._audit_writes.add(row)

    async def _write_audit(self, rows: Sequence[dict[str, Any]]) -> None:
        """The rows of every `append_audit` waiting, in one transaction."""

        def write(connection: Connection) -> None:
            connection.execute(_insert_audit(connection.dialect.name), list(rows))
            for home_id in {row["home_id"] for row in rows}:
                self._prune_audit(connection, home_id, max(r["at"] for r in rows if r["home_id"] == home_id))

        await self._write(write)

    def _prune_audit(self, connection: Connection, home_id: str, now: float) -> None:
        """At most once an hour of the home's own time, delete its entries older than the retention."""
        if self._audit_days is None or now - self._audit_pruned.get(home_id, float("-inf")) < AUDIT_PRUNE_EVERY_S:
            return
        self._audit_pruned[home_id] = now
        cutoff = now - self._audit_days * 86_400
        connection.execute(sa.delete(audit_log).where(audit_log.c.home_id == home_id, audit_log.c.at < cutoff))

    async def audit(self, home_id: str, limit: int = 100, since: float | None = None) -> list[AuditEntry]:
        """The latest `limit` entries at or after `since`, NEWEST FIRST (as an audit view shows them)."""
        t = audit_log
        query = sa.select(t).where(t.c.home_id == home_id)
        if since is not None:
            query = query.where(t.c.at >= since)
        query = query.order_by(t.c.at.desc(), t.c.id.desc()).limit(max(limit, 0))
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            AuditEntry(
                r.at, r.home_id, r.user_name, r.role, r.source, r.action, dict(r.detail), bool(r.ok), dict(r.result)
            )
            for r in rows
        ]

    async def _one_user(self, where: sa.ColumnElement[bool]) -> User | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(sa.select(users).where(where))).first()
        return None if row is None else _user(row)


def bounded_json(document: Mapping[str, Any]) -> str:
    """The JSON of `document` when it is at most `MAX_AUDIT_DOC_CHARS` long; otherwise that of the start of
    it and its whole length: `{"_truncated": 20971520, "preview": "{\"params\": …"}`. Written as it is
    (`_insert_audit`): the document is turned into JSON once, not once to measure and again to store."""
    text = json.dumps(document, ensure_ascii=False, default=str)
    if len(text) <= MAX_AUDIT_DOC_CHARS:
        return text
    return json.dumps({TRUNCATED: len(text), "preview": text[:AUDIT_PREVIEW_CHARS]}, ensure_ascii=False)


@functools.cache
def _insert_audit(dialect: str) -> sa.Insert:
    """INSERT of audit rows whose documents arrive as JSON text (`bounded_json`): bound as text (cast to
    JSONB on PostgreSQL), not serialised again by the column's type."""

    def document(name: str) -> sa.ColumnElement[Any]:
        text = sa.bindparam(name, type_=sa.Text())
        return sa.cast(text, JSONB()) if dialect == "postgresql" else text

    names = ("home_id", "at", "user_name", "role", "source", "action", "ok")
    return sa.insert(audit_log).values(
        {**{name: sa.bindparam(name) for name in names}, "detail": document("detail"), "result": document("result")}
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "home_id": user.home_id,
        "name": user.name,
        "role": user.role,
        "password_hash": user.password_hash,
        "created": user.created,
    }


def _note_lightly(statement: sa.Executable, connection: Connection) -> None:
    """A hint (when a token was last used) written without waiting for the disk on PostgreSQL: a crash may
    forget the last minute's note, which nothing relies on. A provider's gateway checks a token of 10,000
    homes' this way on almost every request (its cache rarely holds a home's token), and a commit that waits
    for the disk behind the workers' journals held its few pooled connections until requests waited 30 s."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")  # this transaction only
    connection.execute(statement)
