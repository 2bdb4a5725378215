"""A real Mosquitto on a free port for each test that asks for one; it can be stopped and restarted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mqtt_support import MOSQUITTO, Broker


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    running = Broker(tmp_path)
    running.start()
    yield running
    running.stop()


