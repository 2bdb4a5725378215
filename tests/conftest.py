"""Fixtures every test folder may use; a folder's own conftest.py may define its own under the same name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jibsa.app import RunningHome, Settings, open_home
from jibsa.hub import ManualClock


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningHome]:
    """The built-in sample home with simulated appliances, its data in `tmp_path`, on a clock the test moves."""
    home = await open_home(Settings(data_dir=tmp_path), clock=ManualClock())
    yield home
    await home.close()
