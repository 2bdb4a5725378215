"""Fixtures for the simulator's tests: its sink refuses discoveries (see sim_support)."""

from __future__ import annotations

import pytest
from sim_support import RecordingSink


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()
