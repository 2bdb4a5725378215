"""A home's data as a whole: importing homes from home files (one by one, or thousands generated from
one template), exporting every row a home has in every table, and deleting every one of them
(Korea's Personal Information Protection Act: a person may see, and have erased, what is kept about
them). Each of these is written to `provider_audit`, which names the home and counts rows only."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from jibsa.api.accounts import new_token, secret_hash
from jibsa.domain import Role
from jibsa.domain.said import Said
from jibsa.home_file import parse_home_text
from jibsa.provider.database import access_tokens, homes, login_sessions, metadata, provider_audit, users
from jibsa.provider.shards import checked_home_id
from jibsa.provider.told import Told

# Columns holding a secret's hash: an export says that they are there, never what they are.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "session_hash", "csrf_token", "code_hash"})
HIDDEN = "(hidden)"
_BATCH = 2000
_TOP_LEVEL_ID = re.compile(r"^id:.*$", re.MULTILINE)


@dataclass(frozen=True)
class NewHome:
    """A home to import: its id, its name and the home file's text."""

    id: str
    name: str
    home_file: str


@dataclass(frozen=True)
class Imported:
    homes: int
    tokens: dict[str, str]  # home id -> the owner's access token (when owners were made)


def home_from_file(text: str, source: str, home_id: str | None = None) -> NewHome:
    """A home file checked as `jibsa serve` checks it (`HomeFileError` naming file, field and problem);
    its id is `home_id` or the file's own `id`."""
    if home_id is not None:
        text = _with_id(text, checked_home_id(home_id))
    home = parse_home_text(text, source).home
    return NewHome(checked_home_id(home.id), home.name, text)


def generated_homes(template: NewHome, count: int, prefix: str = "h_") -> Iterable[NewHome]:
    """`count` homes like `template` (already checked), numbered `<prefix>00000` on; for a bench. The
    prefix follows the home file's rule for ids (a-z, 0-9 and _)."""
    width = max(5, len(str(count - 1)))
    for number in range(count):
        home_id = checked_home_id(f"{prefix}{number:0{width}d}")
        yield NewHome(home_id, template.name, _with_id(template.home_file, home_id))


def _with_id(text: str, home_id: str) -> str:
    line = f"id: {home_id}"
    return _TOP_LEVEL_ID.sub(line, text, count=1) if _TOP_LEVEL_ID.search(text) else f"{line}\n{text}"


def without_id(text: str) -> str:
    """A home file's text with its top-level `id` line blanked: equal for homes that are twins."""
    return _TOP_LEVEL_ID.sub("id:", text, count=1)


async def import_homes(
    engine: AsyncEngine, new_homes: Iterable[NewHome], *, owner: str | None = None, actor: str = "cli"
) -> Imported:
    """Add the homes (in batches, each one transaction); with `owner`, each gets an owner account of
    that name holding one access token (no password: the owner logs in with the token or sets one).
    `HomesExist` (and nothing imported) when any of them is there already."""
    new_homes = list(new_homes)
    await _none_there(engine, [h.id for h in new_homes])
    count, tokens = 0, {}
    batch: list[NewHome] = []
    for home in new_homes:
        batch.append(home)
        if len(batch) == _BATCH:
            tokens.update(await _import_batch(engine, batch, owner, actor))
            count, batch = count + len(batch), []
    if batch:
        tokens.update(await _import_batch(engine, batch, owner, actor))
        count += len(batch)
    return Imported(count, tokens)


class HomesExist(Told, ValueError):
    """Homes to import that are there already."""


async def _none_there(engine: AsyncEngine, home_ids: list[str]) -> None:
    there: list[str] = []
    async with engine.connect() as connection:
        for start in range(0, len(home_ids), _BATCH):
            chunk = home_ids[start : start + _BATCH]
            there += (await connection.scalars(sa.select(homes.c.id).where(homes.c.id.in_(chunk)))).all()
    if there:
        shown = {"count": len(there), "shown": ", ".join(sorted(there)[:5])}
        if len(there) > 5:
            raise HomesExist(Said("provider_errors.homes_exist_more", {**shown, "more": len(there) - 5}))
        raise HomesExist(Said("provider_errors.homes_exist", shown))


async def _import_batch(engine: AsyncEngine, batch: list[NewHome], owner: str | None, actor: str) -> dict[str, str]:
    now = time.time()
    home_rows = [{"id": h.id, "name": h.name, "home_file": h.home_file, "created": now, "history_days": None}
                 for h in batch]  # fmt: skip
    audit_rows = [{"at": now, "actor": actor, "action": "home_import", "home_id": h.id, "detail": {}} for h in batch]
    tokens: dict[str, str] = {}
    user_rows, token_rows = [], []
    if owner is not None:
        for home in batch:
            user_id, token = secret_hash(f"{home.id}:{new_token()}")[:32], new_token()
            tokens[home.id] = token
            user_rows.append({"id": user_id, "home_id": home.id, "name": owner, "role": Role.OWNER.value,
                              "password_hash": None, "created": now})  # fmt: skip
            token_rows.append({"id": user_id, "user_id": user_id, "token_hash": secret_hash(token),
                               "label": "home import", "created": now, "last_used": None})  # fmt: skip
    async with engine.begin() as connection:
        await connection.execute(sa.insert(homes), home_rows)
        if user_rows:
            await connection.execute(sa.insert(users), user_rows)
            await connection.execute(sa.insert(access_tokens), token_rows)
        await connection.execute(sa.insert(provider_audit), audit_rows)
    return tokens


def _home_tables() -> list[sa.Table]:
    """Every provider table that carries a home id (the provider's audit aside)."""
    return [t for t in metadata.sorted_tables if "home_id" in t.columns and t is not provider_audit]


def _by_user(table: sa.Table, home_id: str) -> Any:
    return table.c.user_id.in_(sa.select(users.c.id).where(users.c.home_id == home_id))


def _home_queries(home_id: str) -> dict[str, Any]:
    """Per table, what selects the home's rows."""
    where: dict[str, Any] = {"homes": homes.c.id == home_id}
    for table in _home_tables():
        where[table.name] = table.c.home_id == home_id
    for table in (access_tokens, login_sessions):
        where[table.name] = _by_user(table, home_id)
    return where


async def export_home(engine: AsyncEngine, home_id: str, *, actor: str = "cli") -> dict[str, list[dict[str, Any]]]:
    """Every row the home has, per table (secrets' hashes shown as "(hidden)"); empty lists for tables
    without any. `KeyError` for an unknown home."""
    checked_home_id(home_id)
    exported: dict[str, list[dict[str, Any]]] = {}
    async with engine.begin() as connection:
        if await connection.scalar(sa.select(homes.c.id).where(homes.c.id == home_id)) is None:
            raise KeyError(home_id)
        for name, where in _home_queries(home_id).items():
            table = metadata.tables[name]
            rows = (await connection.execute(sa.select(table).where(where))).mappings().all()
            exported[name] = [_shown(row) for row in rows]
        counts = {name: len(rows) for name, rows in exported.items() if rows}
        await _audit(connection, actor, "home_export", home_id, {"rows": counts})
    return exported


def _shown(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {key: (HIDDEN if key in SECRET_COLUMNS and value is not None else value) for key, value in row.items()}


async def delete_home(engine: AsyncEngine, home_id: str, *, actor: str = "cli") -> dict[str, int]:
    """Delete every row of the home in every table and partition, in one transaction; returns how many
    rows per table. `KeyError` for an unknown home."""
    checked_home_id(home_id)
    deleted: dict[str, int] = {}
    async with engine.begin() as connection:
        if await connection.scalar(sa.select(homes.c.id).where(homes.c.id == home_id).with_for_update()) is None:
            raise KeyError(home_id)
        # Rows that point at others go first: tokens and sessions at users, the rest at the home.
        order = [access_tokens, login_sessions, *(t for t in _home_tables() if t is not homes), homes]
        where = _home_queries(home_id)
        for table in order:
            result = await connection.execute(sa.delete(table).where(where[table.name]))
            if result.rowcount:
                deleted[table.name] = result.rowcount
        await _audit(connection, actor, "home_delete", home_id, {"rows": deleted})
    return deleted


async def _audit(connection: AsyncConnection, actor: str, action: str, home_id: str, detail: dict[str, Any]) -> None:
    row = {"at": time.time(), "actor": actor, "action": action, "home_id": home_id, "detail": detail}
    await connection.execute(sa.insert(provider_audit), [row])
