"""Fixtures every test folder may use; a folder's own conftest.py may define its own under the same name."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings

from jibsa.app import RunningHome, Settings, open_home
from jibsa.hub import ManualClock

# CI (.ci/run) draws the same examples on every run (a seed fixed by the test's name), so a red CI is a change's
# doing and not the draw's; a run on a developer's machine draws new examples each time and finds new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("JIBSA_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningHome]:
    """The built-in sample home with simulated appliances, its data in `tmp_path`, on a clock the test moves."""
    home = await open_home(Settings(data_dir=tmp_path), clock=ManualClock())
    yield home
    await home.close()
