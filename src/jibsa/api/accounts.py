"""What the API needs from storage about people: users, access tokens, sessions and the audit log.

`jibsa.storage.SqlStore` implements this; the API only sees this interface. Secrets never reach
storage in clear: tokens and session ids are stored as SHA-256 hashes, passwords as argon2 hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jibsa.domain import Role

TOKEN_PREFIX = "jibsa_"
_HASHER = PasswordHasher()
# Verifying against this when a name is unknown makes a wrong name cost as much as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class UserRecord(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def home_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Any: ...
    @property
    def password_hash(self) -> str | None: ...


class AccountStore(Protocol):
    async def create_user(self, home_id: str, name: str, role: Any, password_hash: str | None = None) -> Any: ...
    async def get_user(self, home_id: str, name: str) -> Any: ...
    async def get_user_by_id(self, user_id: Any) -> Any: ...
    async def list_users(self, home_id: str) -> Sequence[Any]: ...
    async def set_password(self, user_id: Any, password_hash: str) -> None: ...
    async def delete_user(self, user_id: Any) -> None: ...
    async def add_token(self, user_id: Any, token_hash: str, label: str = "") -> Any: ...
    async def find_token(self, token_hash: str) -> Any: ...
    async def revoke_tokens(self, user_id: Any) -> None: ...
    async def create_session(self, session_hash: str, user_id: Any, expires: Any, csrf_token: str) -> None: ...
    async def find_session(self, session_hash: str, now: Any) -> Any: ...
    async def delete_session(self, session_hash: str) -> None: ...
    async def end_sessions(self, user_id: Any) -> int: ...
    async def delete_expired_sessions(self, now: float) -> int: ...
    async def append_audit(self, entry: Any) -> None: ...
    async def audit(self, home_id: str, limit: int = 100, since: Any = None) -> Sequence[Any]: ...


def new_token() -> str:
    """A long-lived access token, shown to its owner once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def secret_hash(secret: str) -> str:
    """How tokens and session ids are stored: SHA-256 (they are long and random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an account without a password never matches."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def role_of(user: UserRecord) -> Role:
    """The user's role; an unknown stored value counts as the least trusted role."""
    try:
        return Role(str(getattr(user.role, "value", user.role)))
    except ValueError:
        return Role.GUEST


async def add_user_with_token(
    accounts: AccountStore, home_id: str, name: str, role: Role, password: str | None = None
) -> tuple[Any, str]:
    """Create a user and one access token; returns (user, token). The token is stored only as a hash."""
    user = await accounts.create_user(home_id, name, role.value, hash_password(password) if password else None)
    token = new_token()
    await accounts.add_token(user.id, secret_hash(token), "created with the user")
    return user, token
