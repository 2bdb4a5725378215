"""Shared by the weather tests: the stand-in's moment and KMA sources pointed at it."""

from __future__ import annotations

from datetime import datetime

from jibsa.skills.weather.kma_source import KmaWeatherSource
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

FRIDAY_AFTERNOON = datetime(2026, 11, 27, 14, 20)


class Sources:
    """Makes KMA sources for a test and closes them all after it."""

    def __init__(self, server: DataGoKrServer) -> None:
        self._server = server
        self._made: list[KmaWeatherSource] = []

    def __call__(self, key: str = SERVICE_KEY) -> KmaWeatherSource:
        source = KmaWeatherSource(
            key, air_key=key, kma_url=self._server.kma_url, airkorea_url=self._server.airkorea_url
        )
        self._made.append(source)
        return source

    async def close(self) -> None:
        for source in self._made:
            await source.stop()
