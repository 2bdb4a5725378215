"""Fixtures of the energy tests: a recorder on a small home (energy_support.py) over a store in tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from energy_support import START, Recording, small_home

from jibsa.domain import Home
from jibsa.energy.recorder import EnergyRecorder
from jibsa.hub import ManualClock
from jibsa.storage import open_store


@pytest.fixture
def recording_factory(tmp_path: Path) -> Callable[..., Any]:
    opened: list[Recording] = []

    async def make(home: Home | None = None) -> Recording:
        store = await open_store(tmp_path / "data")
        clock = ManualClock(START)
        states: dict[str, dict[str, Any]] = {}
        recorder = EnergyRecorder(
            lambda: home or small_home(), store, clock, state=lambda device_id: states.get(device_id, {})
        )
        await recorder.start([])
        recording = Recording(recorder, store, clock, states)
        opened.append(recording)
        return recording

    return make


@pytest.fixture
async def recording(recording_factory: Callable[..., Any]) -> AsyncIterator[Recording]:
    made: Recording = await recording_factory()
    yield made
    await made.recorder.stop()
    await made.store.close()
