"""The billing period counted after each write of the recorder (what the energy rules watch): its kWh,
bill, tier and edges; and a period that cannot be billed is logged without stopping the recording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from energy_support import START, Recording, small_home

from jibsa.domain import StateChanged
from jibsa.energy import compute_bill, cycle_starting, load_tariff
from jibsa.energy.recorder import EnergyRecorder
from jibsa.energy.tally import EnergyCounted
from jibsa.hub import ManualClock
from jibsa.storage import open_store


async def _recorder(tmp_path: Path, at: float, counted: list[EnergyCounted]) -> tuple[EnergyRecorder, Recording]:
    store = await open_store(tmp_path / "data")
    clock = ManualClock(at)
    states: dict[str, dict[str, Any]] = {}
    recorder = EnergyRecorder(small_home, store, clock, state=lambda d: states.get(d, {}), counted=counted.append)
    await recorder.start([])
    return recorder, Recording(recorder, store, clock, states)


async def test_each_write_counts_the_period_so_far(tmp_path: Path) -> None:
    counted: list[EnergyCounted] = []
    recorder, recording = await _recorder(tmp_path, START, counted)
    recording.report("ac", {"power": True, "power_w": 2000.0}, at=0)
    await recording.clock.advance(10 * 3600)  # ten hours at 2 kW: 20 kWh
    await recorder.stop()
    await recording.store.close()
    last = counted[-1]
    assert (last.home_id, last.period, last.at) == ("home", "2026-01-01", START + 10 * 3600)
    assert last.kwh == pytest.approx(20.0) and last.tier == 1 and last.edges == (200.0, 400.0, 1000.0)
    # By hand (January 2026, 저압): 910 base + 20 × 120.0 = 3,310; 기후환경 180, 연료비 100 → 3,590;
    # VAT 359; 기금 2.7 % 96.9 → 90 (cut to 10 won) → 4,039 → 4,030 won.
    assert last.won == compute_bill(load_tariff(), 20, cycle_starting(2026, 1)).total_won == 4_030
    assert [c.kwh for c in counted] == sorted(c.kwh for c in counted)


async def test_a_period_the_tariff_cannot_bill_is_logged_and_recording_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    counted: list[EnergyCounted] = []
    early = START - 40 * 365 * 86_400  # 1986: before the tariff file's first day
    recorder, recording = await _recorder(tmp_path, early, counted)
    recorder.on_event(StateChanged("home", "ac", {}, {"power": True, "power_w": 1000.0}, early))
    await recording.clock.advance(3600)
    await recorder.flush()
    rows = await recording.store.energy_rows("home", early - 3600, early + 7200, "ac")
    await recorder.stop()
    await recording.store.close()
    assert counted == [] and "could not count this billing period" in caplog.text
    assert sum(r.kwh for r in rows) == pytest.approx(1.0)
