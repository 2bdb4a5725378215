"""The server's part of the store: users, access tokens, login sessions and the audit log.

Secrets arrive hashed (tokens and session ids as SHA-256, passwords as argon2); nothing here sees them
in clear.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from jibsa.storage.base import StoreBase
from jibsa.storage.errors import StorageConflict, StorageNotFound
from jibsa.storage.records import ROLES, AuditEntry, User
from jibsa.storage.schema import access_tokens, audit_log, login_sessions, users


def _user(row: Any) -> User:
    return User(row.id, row.home_id, row.name, row.role, row.password_hash, row.created)


class AccountRecords(StoreBase):
    async def create_user(self, home_id: str, name: str, role: str, password_hash: str | None = None) -> User:
        """A new user of the home; `StorageConflict` if the home has a user of that name."""
        role = str(role)
        if role not in ROLES:
            raise ValueError(f"role {role!r}: use one of {', '.join(ROLES)}")
        user = User(uuid.uuid4().hex, home_id, name, role, password_hash, self._now())
        try:
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(users), [_user_row(user)])
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
        """Replace the user's password hash; `StorageNotFound` for an unknown user."""
        query = sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        async with self._engine.begin() as connection:
            if (await connection.execute(query)).rowcount == 0:
                raise StorageNotFound(f"no user with id {user_id!r}")

    async def delete_user(self, user_id: str) -> None:
        """Remove the user with their tokens and sessions; nothing happens for an unknown id."""
        async with self._engine.begin() as connection:
            for table in (access_tokens, login_sessions):
                await connection.execute(sa.delete(table).where(table.c.user_id == user_id))
            await connection.execute(sa.delete(users).where(users.c.id == user_id))

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
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(access_tokens), [row])
        except IntegrityError as error:  # the hash is taken (or the user was deleted meanwhile)
            raise StorageConflict(f"cannot add this token for user {user_id!r}: {error.orig}") from error
        return token_id

    async def find_token(self, token_hash: str) -> User | None:
        """The user the token belongs to (and note that it was used), or None."""
        query = (sa.select(users, access_tokens.c.id.label("token_id"))
                 .join(access_tokens, access_tokens.c.user_id == users.c.id)
                 .where(access_tokens.c.token_hash == token_hash))  # fmt: skip
        async with self._engine.begin() as connection:
            row = (await connection.execute(query)).first()
            if row is None:
                return None
            used = sa.update(access_tokens).where(access_tokens.c.id == row.token_id).values(last_used=self._now())
            await connection.execute(used)
        return _user(row)

    async def revoke_tokens(self, user_id: str) -> None:
        """Forget every access token of the user."""
        async with self._engine.begin() as connection:
            await connection.execute(sa.delete(access_tokens).where(access_tokens.c.user_id == user_id))

    async def create_session(self, session_hash: str, user_id: str, expires: float, csrf_token: str) -> None:
        """Keep a login session until `expires` (epoch seconds)."""
        row = {"session_hash": session_hash, "user_id": user_id, "expires": expires, "csrf_token": csrf_token}
        try:
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(login_sessions), [row])
        except IntegrityError as error:
            raise StorageConflict(f"cannot create the session for user {user_id!r}: {error.orig}") from error

    async def find_session(self, session_hash: str, now: float) -> tuple[User, str] | None:
        """The session's user and CSRF token; None if there is no such session or it expired by `now`."""
        query = (sa.select(users, login_sessions.c.expires, login_sessions.c.csrf_token)
                 .join(login_sessions, login_sessions.c.user_id == users.c.id)
                 .where(login_sessions.c.session_hash == session_hash))  # fmt: skip
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        if row.expires <= now:
            await self.delete_session(session_hash)
            return None
        return _user(row), str(row.csrf_token)

    async def delete_session(self, session_hash: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(sa.delete(login_sessions).where(login_sessions.c.session_hash == session_hash))

    async def delete_expired_sessions(self, now: float) -> int:
        """Forget every session that expired by `now`; returns how many."""
        async with self._engine.begin() as connection:
            return (await connection.execute(sa.delete(login_sessions).where(login_sessions.c.expires <= now))).rowcount

    async def append_audit(self, entry: AuditEntry) -> None:
        """Record one entry of the audit log; returns once it is durable."""
        row = {
            "home_id": entry.home_id, "at": entry.at, "user_name": entry.user, "role": str(entry.role),
            "source": entry.source, "action": entry.action, "detail": dict(entry.detail), "ok": bool(entry.ok),
            "result": dict(entry.result),
        }  # fmt: skip
        async with self._engine.begin() as connection:
            await connection.execute(sa.insert(audit_log), [row])

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


def _user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "home_id": user.home_id,
        "name": user.name,
        "role": user.role,
        "password_hash": user.password_hash,
        "created": user.created,
    }
