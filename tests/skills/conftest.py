"""A data.go.kr stand-in (KMA + AirKorea) on a free port, its clock at Friday 2026-11-27 14:20 KST."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from weather_support import FRIDAY_AFTERNOON, Sources

from jibsa.testing.data_go_kr_server import DataGoKrServer


@pytest.fixture
async def gateway() -> AsyncIterator[DataGoKrServer]:
    server = DataGoKrServer(FRIDAY_AFTERNOON)
    server.stations = {
        "중구": ("서울", 42, 18),
        "광복동": ("부산", 95, 40),
        "백령도": ("인천", None, None),
        "연희": ("인천", 20, 8),
    }
    async with server:
        yield server


@pytest.fixture
async def kma_source(gateway: DataGoKrServer) -> AsyncIterator[Sources]:
    """kma_source() or kma_source("a key"): a KMA + AirKorea source on the stand-in, closed after the test."""
    sources = Sources(gateway)
    yield sources
    await sources.close()
