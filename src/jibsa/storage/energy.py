"""Energy in the store (implements `jibsa.energy.store.EnergyStore`): hourly and daily rows kept for
good, five-minute rows pruned, and each device's last meter reading."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from jibsa.energy.store import EnergyRow, Grain, MeterCursor
from jibsa.storage.base import StoreBase
from jibsa.storage.schema import energy_daily, energy_detail, energy_hourly, energy_meters

_KEY = ("home_id", "start", "device_id")
_TABLES = {Grain.HOUR: energy_hourly, Grain.DAY: energy_daily, Grain.DETAIL: energy_detail}


class EnergyRecords(StoreBase):
    async def add_energy(self, home_id: str, rows: Mapping[Grain, Sequence[EnergyRow]]) -> None:
        """Add each row to the row of its device and bucket, creating it; every table in one transaction."""
        statements = [
            (self._adding(_TABLES[grain]), [_row(home_id, r) for r in kept]) for grain, kept in rows.items() if kept
        ]
        if not statements:
            return

        def write(connection: Connection) -> None:
            for statement, values in statements:
                connection.execute(statement, values)

        await self._write(write)

    def _adding(self, table: sa.Table) -> sa.Insert:
        insert = postgresql_insert(table) if self._engine.dialect.name == "postgresql" else sqlite_insert(table)
        return insert.on_conflict_do_update(
            index_elements=list(_KEY),
            set_={"kwh": table.c.kwh + insert.excluded.kwh, "on_s": table.c.on_s + insert.excluded.on_s},
        )

    async def save_meter_cursors(self, home_id: str, cursors: Sequence[MeterCursor]) -> None:
        if cursors:
            rows = [{"home_id": home_id, "device_id": c.device_id, "kwh": c.kwh, "at": c.at} for c in cursors]
            await self._execute(self._upsert(energy_meters, ("home_id", "device_id")), rows)

    async def meter_cursors(self, home_id: str) -> dict[str, MeterCursor]:
        query = sa.select(energy_meters).where(energy_meters.c.home_id == home_id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {r.device_id: MeterCursor(r.device_id, r.kwh, r.at) for r in rows}

    async def energy_rows(
        self, home_id: str, since: float, until: float, device_id: str | None = None, *, grain: Grain = Grain.HOUR
    ) -> list[EnergyRow]:
        table = _TABLES[grain]
        query = sa.select(table.c.device_id, table.c.start, table.c.kwh, table.c.on_s).where(
            table.c.home_id == home_id, table.c.start >= since, table.c.start < until
        )
        if device_id is not None:
            query = query.where(table.c.device_id == device_id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query.order_by(table.c.start, table.c.device_id))).all()
        return [EnergyRow(r.device_id, r.start, r.kwh, r.on_s) for r in rows]

    async def energy_totals(
        self, home_id: str, since: float, until: float, *, grain: Grain = Grain.HOUR
    ) -> dict[str, tuple[float, float]]:
        t = _TABLES[grain]
        query = (
            sa.select(t.c.device_id, sa.func.sum(t.c.kwh), sa.func.sum(t.c.on_s))
            .where(t.c.home_id == home_id, t.c.start >= since, t.c.start < until)
            .group_by(t.c.device_id)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {r[0]: (float(r[1] or 0.0), float(r[2] or 0.0)) for r in rows}

    async def prune_energy_detail(self, home_id: str, before: float) -> int:
        query = sa.delete(energy_detail).where(energy_detail.c.home_id == home_id, energy_detail.c.start < before)
        return await self._execute(query)


def _row(home_id: str, row: EnergyRow) -> dict[str, object]:
    return {"home_id": home_id, "start": row.start, "device_id": row.device_id, "kwh": row.kwh, "on_s": row.on_s}
