"""Energy rows on SQLite and PostgreSQL: added to (never replaced), summed per device over a range,
five-minute detail pruned, meter readings kept across a restart."""

from __future__ import annotations

import pytest

from jibsa.energy.store import HOME, EnergyRow, Grain, MeterCursor
from jibsa.storage import SqlStore, open_store

H = 3600.0


async def test_rows_of_the_same_bucket_add_up(store: SqlStore) -> None:
    await store.add_energy("home", {Grain.HOUR: [EnergyRow("ac", 0.0, 0.5, 1800.0)]})
    await store.add_energy("home", {Grain.HOUR: [EnergyRow("ac", 0.0, 0.25, 600.0), EnergyRow("ac", H, 1.0)]})
    rows = await store.energy_rows("home", 0.0, 2 * H, "ac")
    assert [(r.start, r.kwh, r.on_s) for r in rows] == [(0.0, 0.75, 2400.0), (H, 1.0, 0.0)]


async def test_totals_per_device_over_a_range_and_homes_kept_apart(store: SqlStore) -> None:
    rows = [EnergyRow("ac", h * H, 1.0, 3600.0) for h in range(5)]
    rows += [EnergyRow("fridge", h * H, 0.05) for h in range(5)]
    rows += [EnergyRow(HOME, h * H, 1.05) for h in range(5)]
    await store.add_energy("home", {Grain.HOUR: rows, Grain.DAY: [EnergyRow("ac", 0.0, 5.0, 5 * 3600.0)]})
    await store.add_energy("other", {Grain.HOUR: [EnergyRow("ac", 0.0, 9.0)]})
    totals = await store.energy_totals("home", 1 * H, 4 * H)  # hours 1, 2, 3
    assert totals["ac"] == pytest.approx((3.0, 3 * 3600.0))
    assert totals["fridge"][0] == pytest.approx(0.15) and totals[HOME][0] == pytest.approx(3.15)
    assert (await store.energy_totals("other", 0.0, H)) == {"ac": (9.0, 0.0)}
    assert (await store.energy_totals("home", 0.0, H, grain=Grain.DAY)) == {"ac": (5.0, 5 * 3600.0)}
    assert [r.device_id for r in await store.energy_rows("home", 0.0, H)] == [HOME, "ac", "fridge"]


async def test_the_detail_is_pruned_and_the_hours_stay(store: SqlStore) -> None:
    detail = [EnergyRow("ac", m * 300.0, 0.1) for m in range(24)]
    await store.add_energy(
        "home", {Grain.HOUR: [EnergyRow("ac", 0.0, 1.2), EnergyRow("ac", H, 1.2)], Grain.DETAIL: detail}
    )
    assert await store.prune_energy_detail("home", H) == 12
    kept = await store.energy_rows("home", 0.0, 2 * H, grain=Grain.DETAIL)
    assert [r.start for r in kept] == [m * 300.0 for m in range(12, 24)]
    assert len(await store.energy_rows("home", 0.0, 2 * H)) == 2


async def test_meter_readings_are_kept_across_a_restart(target: str) -> None:
    first = await open_store(target)
    await first.save_meter_cursors("home", [MeterCursor("plug", 12.5, 100.0)])
    await first.save_meter_cursors("home", [MeterCursor("plug", 13.0, 200.0), MeterCursor("meter", 5000.0, 200.0)])
    await first.close()
    async with await open_store(target) as second:
        assert await second.meter_cursors("home") == {
            "plug": MeterCursor("plug", 13.0, 200.0),
            "meter": MeterCursor("meter", 5000.0, 200.0),
        }
        await second.add_energy("home", {Grain.HOUR: [], Grain.DAY: []})  # nothing to write is nothing written
        if second.dialect == "postgresql":
            from tests_storage_support import empty_every_table

            await empty_every_table(second)
