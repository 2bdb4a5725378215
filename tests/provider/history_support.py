"""What a home's history in PostgreSQL says a device's brightness became, for the provider's tests."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine


async def brightness_changes(engine: AsyncEngine, home: str, device: str) -> list[int]:
    """Each brightness the device changed to, in the order its history holds them."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            sa.text(
                "SELECT new->>'brightness' FROM state_history WHERE home_id = :home AND device_id = :device "
                "AND (old->>'brightness') IS DISTINCT FROM (new->>'brightness') ORDER BY at, id"
            ),
            {"home": home, "device": device},
        )
        return [int(float(value)) for (value,) in rows if value is not None]
