"""Weather and skills: what a sentence pays for the skills' phrase book (tried before the parser on
every turn), and the dashboard's weather (/api/weather's work) from the data.go.kr stand-in on
loopback, first load (24 requests) and from the cache.

    .venv/bin/python bench/weather_bench.py
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import datetime
from pathlib import Path

from jibsa.skills.loader import phrase_book
from jibsa.skills.manifest import read_manifest
from jibsa.skills.weather import weather_manifest
from jibsa.skills.weather.kma_source import KmaWeatherSource
from jibsa.skills.weather.overview import weather_overview
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer, demo_stations

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/jibsa-skill-recycling/src/jibsa_skill_recycling/skill.yaml"
SENTENCES = [
    "거실 불 좀 꺼줄래?",
    "에어컨 켜서 23도로 맞춰줘",
    "30분 뒤에 보일러 꺼",
    "내일 부산 비 와?",
    "우산 챙겨야 해?",
    "미세먼지 어때?",
    "이번 주말 날씨 어때?",
    "빨래 널어도 돼?",
    "오늘 무슨 쓰레기 버리는 날이야?",
    "turn off the living room light",
    "will it rain in busan tomorrow?",
    "세탁 언제 끝나?",
]


def phrases() -> None:
    book = phrase_book([weather_manifest(), read_manifest(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))])
    timings = []
    for _ in range(200):
        for sentence in SENTENCES:
            start = time.perf_counter()
            book.match(sentence)
            timings.append(time.perf_counter() - start)
    timings.sort()
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    print(f"phrase book, per sentence ({len(timings)} matches): p50 {p50 * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms")


async def overview() -> None:
    now = datetime(2026, 11, 27, 14, 20)
    firsts, cached = [], []
    for _ in range(5):
        async with DataGoKrServer(now) as server:
            server.stations = demo_stations()
            source = KmaWeatherSource(
                SERVICE_KEY, air_key=SERVICE_KEY, kma_url=server.kma_url, airkorea_url=server.airkorea_url
            )
            start = time.perf_counter()
            await weather_overview(source, "서울", now)
            firsts.append(time.perf_counter() - start)
            for _ in range(20):
                start = time.perf_counter()
                await weather_overview(source, "서울", now)
                cached.append(time.perf_counter() - start)
            asked = len(server.faults.requests)
            await source.stop()
    print(
        f"/api/weather's work, first load ({asked} requests to the stand-in, same process): "
        f"median {statistics.median(firsts) * 1e3:.0f} ms (range {min(firsts) * 1e3:.0f}–{max(firsts) * 1e3:.0f})"
    )
    print(f"/api/weather's work, cached: median {statistics.median(cached) * 1e3:.1f} ms")


if __name__ == "__main__":
    phrases()
    asyncio.run(overview())
