"""Shared by the weather tests: the stand-in's moment and a KMA source pointed at it."""

from __future__ import annotations

from datetime import datetime

from jibsa.skills.weather.airkorea import AirKoreaClient
from jibsa.skills.weather.kma import KmaClient
from jibsa.skills.weather.kma_source import KmaWeatherSource
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

FRIDAY_AFTERNOON = datetime(2026, 11, 27, 14, 20)


def kma_source(server: DataGoKrServer, key: str = SERVICE_KEY) -> KmaWeatherSource:
    return KmaWeatherSource(KmaClient(key, server.kma_url), AirKoreaClient(key, server.airkorea_url))
