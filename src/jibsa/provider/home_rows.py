"""The worker's homes from the provider database's `homes` table, as `jibsa provider homes import` wrote
them: each row holds its home file's text. Homes whose files differ only in their id (a generated fleet)
share one parsed model, as `homes.HomeFiles` does for files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Home
from jibsa.home_file import parse_home_text
from jibsa.provider.database import homes
from jibsa.provider.home_data import without_id
from jibsa.provider.homes import NoSuchHome
from jibsa.provider.shards import checked_home_id


class HomeRows:
    """`homes.home_file` of the home's row; `NoSuchHome` when it has none (never imported, or deleted)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._models: dict[str, Home] = {}
        self._texts: dict[str, str] = {}  # read ahead for homes about to open (`prefetch`), taken by `home`

    async def prefetch(self, home_ids: Sequence[str]) -> None:
        """Read the home files of `home_ids` in one query; each is taken by the next `home` of its id."""
        query = sa.select(homes.c.id, homes.c.home_file).where(homes.c.id.in_(home_ids))
        async with self._engine.connect() as connection:
            self._texts.update({row.id: row.home_file for row in await connection.execute(query)})

    async def home(self, home_id: str) -> tuple[Home, str]:
        checked_home_id(home_id)
        text = self._texts.pop(home_id, None)
        if text is None:
            async with self._engine.connect() as connection:
                text = await connection.scalar(sa.select(homes.c.home_file).where(homes.c.id == home_id))
        if text is None:
            raise NoSuchHome(home_id)
        key = "homes:" + hashlib.sha256(without_id(text).encode()).hexdigest()
        model = self._models.get(key)
        if model is None:
            model = self._models.setdefault(key, parse_home_text(text, f"homes table, home {home_id}").home)
        return replace(model, id=home_id), key
