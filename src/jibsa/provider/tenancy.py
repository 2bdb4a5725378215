"""Homes and who belongs to them: every account and token is of exactly one home, and an owner invites
members into theirs with a code that expires and works once.

Accounts are the single-home ones (`jibsa.storage` users, access tokens and login sessions; passwords
as argon2, tokens and codes as SHA-256); this module adds the homes and the invitations."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.api.accounts import hash_password, new_token, secret_hash
from jibsa.domain import Role
from jibsa.provider.database import access_tokens, home_invites, homes, login_sessions, metadata, provider_audit, users
from jibsa.provider.shards import checked_home_id

_AUDIT_LOG = metadata.tables["audit_log"]  # the home's own audit log (partitioned by home)
INVITE_TTL_S = 7 * 86_400.0
INVITE_PREFIX = "jibsa_invite_"


class TenancyError(ValueError):
    """A request about homes or invitations that cannot be done; `code` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Home:
    id: str
    name: str
    home_file: str
    created: float
    history_days: float | None


@dataclass(frozen=True)
class Joined:
    """Who accepted an invitation: their new account's id, its home, role and access token (shown once)."""

    user_id: str
    home_id: str
    role: Role
    token: str


@dataclass(frozen=True)
class Removed:
    """An account removed from its home: its id (what a revocation names), home, name and role."""

    user_id: str
    home_id: str
    name: str
    role: Role


@dataclass(frozen=True)
class Member:
    """An account of a home as its owner and the operator see it: its name, role and when it was made
    (epoch seconds); nothing of its password or tokens."""

    name: str
    role: Role
    created: float


@dataclass(frozen=True)
class Remover:
    """Who removes a member, as the audit names them: a person of the home (over HTTP), or the operator."""

    name: str
    role: str
    source: str


OPERATOR = Remover("provider", "operator", "cli")


class HomeDirectory:
    """The provider's homes and invitations, on the provider database."""

    def __init__(self, engine: AsyncEngine, clock: Any = time.time) -> None:
        self._engine = engine
        self._clock = clock

    async def add_home(self, home_id: str, name: str, home_file: str, history_days: float | None = None) -> Home:
        home = Home(checked_home_id(home_id), name, home_file, self._clock(), history_days)
        try:
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(homes), [home.__dict__])
        except IntegrityError:
            raise TenancyError("home_exists", f"home {home_id!r} exists already") from None
        return home

    async def get_home(self, home_id: str) -> Home | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(sa.select(homes).where(homes.c.id == home_id))).first()
        return None if row is None else Home(row.id, row.name, row.home_file, row.created, row.history_days)

    async def set_history_days(self, home_id: str, days: float | None) -> None:
        """The home's own retention of state history (None: the provider's default)."""
        async with self._engine.begin() as connection:
            result = await connection.execute(sa.update(homes).where(homes.c.id == home_id).values(history_days=days))
        if result.rowcount == 0:
            raise TenancyError("unknown_home", f"no home {home_id!r}")

    async def invite(self, inviter: Any, role: Role = Role.MEMBER, ttl_s: float = INVITE_TTL_S) -> tuple[str, float]:
        """A code that lets one person join the inviter's home as `role`, until it expires; only an owner
        invites, and never as an owner. Returns (code, expires); the code is kept only as a hash."""
        if str(inviter.role) != Role.OWNER.value:
            raise TenancyError("forbidden", "only the home's owner invites")
        if role is Role.OWNER:
            raise TenancyError("invalid_request", "an invitation makes a member or a guest, not an owner")
        code = INVITE_PREFIX + secrets.token_urlsafe(24)
        now = self._clock()
        row = {"code_hash": secret_hash(code), "home_id": inviter.home_id, "role": role.value, "created_by": inviter.id,
               "created": now, "expires": now + ttl_s, "used": None, "used_by": None}  # fmt: skip
        async with self._engine.begin() as connection:
            await connection.execute(sa.insert(home_invites), [row])
        return code, now + ttl_s

    async def accept(self, code: str, name: str, password: str) -> Joined:
        """Join the home the code was made for, as a new account `name`; the code is used up in the same
        transaction, so of two people racing with one code exactly one joins. `TenancyError`
        `bad_invite` for a code that is unknown, used or expired (which of them is not said)."""
        now = self._clock()
        claim = (
            sa.update(home_invites)
            .where(home_invites.c.code_hash == secret_hash(code), home_invites.c.used.is_(None),
                   home_invites.c.expires > now)
            .values(used=now)
            .returning(home_invites.c.home_id, home_invites.c.role)
        )  # fmt: skip
        user_id, token = uuid.uuid4().hex, new_token()
        try:
            async with self._engine.begin() as connection:
                claimed = (await connection.execute(claim)).first()
                if claimed is None:
                    raise TenancyError("bad_invite", "this invitation is unknown, used or expired")
                user = {"id": user_id, "home_id": claimed.home_id, "name": name, "role": claimed.role,
                        "password_hash": hash_password(password), "created": now}  # fmt: skip
                await connection.execute(sa.insert(users), [user])
                await connection.execute(
                    sa.insert(access_tokens),
                    [{"id": uuid.uuid4().hex, "user_id": user_id, "token_hash": secret_hash(token),
                      "label": "invitation", "created": now, "last_used": None}],
                )  # fmt: skip
                await connection.execute(
                    sa.update(home_invites).where(home_invites.c.code_hash == secret_hash(code)).values(used_by=user_id)
                )
        except IntegrityError:  # the name is taken in that home: the code stays unused
            raise TenancyError("user_exists", f"the home already has a user named {name!r}") from None
        return Joined(user_id, claimed.home_id, Role(claimed.role), token)

    async def members(self, home_id: str) -> list[Member]:
        """Every account of `home_id`, oldest first; `TenancyError` `unknown_home` for a home that is not there."""
        async with self._engine.connect() as connection:
            known = await connection.scalar(sa.select(homes.c.id).where(homes.c.id == home_id))
            if known is None:
                raise TenancyError("unknown_home", f"no home {home_id!r}")
            query = sa.select(users.c.name, users.c.role, users.c.created).where(users.c.home_id == home_id)
            rows = (await connection.execute(query.order_by(users.c.created, users.c.name))).all()
        return [Member(row.name, Role(row.role), row.created) for row in rows]

    async def remove_member(self, home_id: str, name: str, by: Remover = OPERATOR) -> Removed:
        """Remove the account `name` from `home_id`, with its access tokens and login sessions, in one
        transaction that also writes it to the home's audit log and to `provider_audit` (its id and role,
        nothing of its name). `TenancyError` `unknown_user` for a name the home does not have, `last_owner`
        for the home's only owner: a home never loses its last owner. The home's owners are locked first, so
        two owners removing each other at once leave one of them. The caller announces the revocation
        (`jibsa.auth.revoked`), so that every gateway forgets the account's tokens and closes its sockets."""
        now = self._clock()
        async with self._engine.begin() as connection:
            owners = sa.select(users.c.id).where(users.c.home_id == home_id, users.c.role == Role.OWNER.value)
            owner_ids = set((await connection.scalars(owners.with_for_update())).all())
            member = (
                await connection.execute(
                    sa.select(users.c.id, users.c.role).where(users.c.home_id == home_id, users.c.name == name)
                )
            ).first()
            if member is None:
                raise TenancyError("unknown_user", "the home has no such account")
            if member.role == Role.OWNER.value and owner_ids <= {member.id}:
                raise TenancyError("last_owner", "the home's last owner cannot be removed")
            for table in (access_tokens, login_sessions):
                await connection.execute(sa.delete(table).where(table.c.user_id == member.id))
            await connection.execute(sa.delete(users).where(users.c.id == member.id, users.c.home_id == home_id))
            audit = {"home_id": home_id, "at": now, "user_name": by.name, "role": by.role, "source": by.source,
                     "action": "remove_user", "detail": {"name": name}, "ok": True, "result": {}}  # fmt: skip
            await connection.execute(sa.insert(_AUDIT_LOG), [audit])
            provider = {"at": now, "actor": by.source, "action": "member_remove", "home_id": home_id,
                        "detail": {"user": member.id, "role": member.role}}  # fmt: skip
            await connection.execute(sa.insert(provider_audit), [provider])
        return Removed(member.id, home_id, name, Role(member.role))
