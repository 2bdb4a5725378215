"""Fixtures for the simulator's tests."""

from __future__ import annotations

import pytest
from sim_support import RecordingSink


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()
