"""Benchmark of `jibsa voice serve` (Wyoming) under N parallel connections: each connection is a satellite
session that sends one second of silence (heard by the VAD, answered "no speech") and then `--turns`
transcripts, as Home Assistant's handle pipeline does. Prints one JSON line: transcripts per second,
latency p50/p95/max of a transcript's answer, errors, and the server's peak memory (VmHWM).

    .venv/bin/python bench/wyoming_bench.py [--connections 30] [--turns 5]

Starts its own server: the sample home on SQLite in a temporary directory, a satellite account made with
`jibsa user add bench-speaker --role satellite`, and `jibsa voice serve --satellite bench-speaker` on a
free loopback port (the real process, with the Whisper model loaded from the data directory). Every
transcript passes the gate and writes an audit row. The load generator runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wyoming.asr import Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient

from jibsa.testing.processes import free_port

SENTENCES = ["거실 불 켜줘", "거실 불 꺼줘", "안방 에어컨 24도로 맞춰줘", "지금 몇 시야?", "주방 불 켜줘"]
RATE = 16_000


def jibsa(*args: str) -> list[str]:
    return [sys.executable, "-m", "jibsa.cli.main", *args]


async def wait_for_port(port: int, process: subprocess.Popen[bytes], limit_s: float = 300.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"voice serve exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        writer.close()
        return
    raise SystemExit("voice serve did not start")


async def one_connection(port: int, turns: int, index: int, latencies: list[float], errors: list[str]) -> None:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        silence = bytes(RATE * 2)
        await client.write_event(AudioStart(rate=RATE, width=2, channels=1).event())
        await client.write_event(AudioChunk(rate=RATE, width=2, channels=1, audio=silence).event())
        await client.write_event(AudioStop().event())
        heard = await asyncio.wait_for(client.read_event(), 120)
        if heard is None:
            errors.append("closed after audio")
            return
        for turn in range(turns):
            text = SENTENCES[(index + turn) % len(SENTENCES)]
            started = time.perf_counter()
            await client.write_event(Transcript(text=text).event())
            answer = await asyncio.wait_for(client.read_event(), 120)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer is None or answer.type not in ("handled", "not-handled"):
                errors.append(answer.type if answer is not None else "closed")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def measure(port: int, connections: int, turns: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(one_connection(port, turns, i, latencies, errors) for i in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "connections": connections,
        "transcripts": len(latencies),
        "errors": len(errors),
        "seconds": round(elapsed, 2),
        "transcripts_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=30)
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        subprocess.run(
            jibsa("user", "add", "bench-speaker", "--role", "satellite", "--data", str(data)),
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            jibsa(
                "voice",
                "serve",
                "--data",
                str(data),
                "--satellite",
                "bench-speaker",
                "--uri",
                f"tcp://127.0.0.1:{port}",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            asyncio.run(wait_for_port(port, server))
            result = asyncio.run(measure(port, args.connections, args.turns))
            result["server_peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(30)
    result["loadavg"] = os.getloadavg()[0]
    result["cpus"] = os.cpu_count()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
