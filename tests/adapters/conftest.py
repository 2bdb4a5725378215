"""Fixtures every adapter's tests share: a sink that records reports, and a clock tests can watch."""

from __future__ import annotations

import pytest

from jibsa.testing import RecordingSink, WatchedClock


@pytest.fixture
def clock() -> WatchedClock:
    return WatchedClock()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()
