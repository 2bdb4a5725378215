"""A home with the devices rules talk about, run for real (SQLite store in a temporary directory,
simulated appliances, the rule engine) on a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Home
from jibsa.home_file import load_home
from jibsa.hub import ManualClock

HOME_FILE = Path(__file__).with_name("data") / "rules_home.yaml"


@pytest.fixture
def home() -> Home:
    return load_home(HOME_FILE).home


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> ManualClock:
    """2026-01-01 08:00 in Seoul (a Thursday), or the epoch seconds a test gives (indirect parametrize)."""
    return ManualClock(getattr(request, "param", 1_767_222_000.0))


@pytest.fixture
async def running(tmp_path: Path, home: Home, clock: ManualClock) -> AsyncIterator[RunningHome]:
    async with await open_home(Settings(data_dir=tmp_path), clock=clock, home=home) as opened:
        yield opened
