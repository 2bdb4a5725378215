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
from jibsa.provider.database import access_tokens, home_invites, homes, users
from jibsa.provider.shards import checked_home_id

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
