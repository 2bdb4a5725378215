"""Benchmark of `jibsa serve` over loopback HTTP: conversation requests per second with p50/p99/max
latency for N concurrent clients, beside a bare FastAPI endpoint that only parses the same sentences
(`bench/bare_parse_server.py`), measured in the same run; and events per second delivered to 100
WebSocket clients.

    .venv/bin/python bench/http_bench.py [--clients 8 32] [--runs 3] [--duration 10] [--ws-clients 100]

Starts its own servers (the sample home, simulated appliances, SQLite in a temporary directory) on free
loopback ports, so our numbers include HTTP, auth, the parser, the hub, durable state writes and the
audit log. The load generator runs in this process, on the same machine: on a small box it competes
with the server for CPU, so these are lower bounds of what the server alone could do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
import websockets

from jibsa.testing.processes import free_port, start, start_serve

SENTENCES = ["거실 불 꺼줘", "거실 불 켜줘", "안방 에어컨 24도로 맞춰줘", "서재 조명 밝기 50으로", "지금 몇 시야?",
             "주방 불 꺼줘", "주방 불 켜줘", "거실 온도 알려줘"]  # fmt: skip
# Lights toggled side by side to make state changes (each toggle is exactly one event).
LIGHTS = ["living_ceiling", "living_stand", "master_light", "kids_light", "study_light", "kitchen_light",
          "utility_light", "entrance_light"]  # fmt: skip


def start_server(data: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """`jibsa serve` in a child process (an empty data directory); returns it and the first-run owner token."""
    process, served = start_serve(data, port=port)
    return process, served.token


def start_bare_server(port: int) -> subprocess.Popen[str]:
    """The baseline: FastAPI that only parses, on uvicorn, in a child process."""
    return start([sys.executable, str(Path(__file__).with_name("bare_parse_server.py")), str(port)], "bare: ")[0]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench_conversation(base: str, token: str | None, clients: int, duration: float) -> dict[str, float]:
    """`clients` connections each sending the sentences in turn for `duration` seconds. The client is
    aiohttp: on this small machine httpx's own CPU cost capped both servers at the same rate."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + duration
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(
        base, headers=headers, connector=connector, timeout=aiohttp.ClientTimeout(total=30)
    ) as client:

        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < stop_at:
                text = SENTENCES[i % len(SENTENCES)]
                i += 1
                started = time.perf_counter()
                async with client.post("/api/conversation", json={"text": text, "session": f"bench{n}"}) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
                errors += response.status != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
    }


def _line(name: str, clients: int, talk: dict[str, float]) -> str:
    return (
        f"{name:>5}, {clients:2d} clients: {talk['rps']:6.1f} req/s, p50 {talk['p50_ms']:6.1f} ms, "
        f"p99 {talk['p99_ms']:6.1f} ms, max {talk['max_ms']:7.1f} ms "
        f"({talk['requests']:.0f} requests, {talk['errors']:.0f} errors)"
    )


def compare(port: int, token: str, bare_port: int, clients: int, duration: float) -> None:
    """Ours, then the bare endpoint, one after the other in the same run; and their ratio."""
    ours = asyncio.run(bench_conversation(f"http://127.0.0.1:{port}", token, clients, duration))
    print(_line("jibsa", clients, ours), flush=True)
    bare = asyncio.run(bench_conversation(f"http://127.0.0.1:{bare_port}", None, clients, duration))
    print(_line("bare", clients, bare), flush=True)
    print(f"       jibsa/bare requests/s: {ours['rps'] / bare['rps']:.2f}", flush=True)


async def bench_events(host: str, token: str, ws_clients: int, events: int) -> dict[str, float]:
    """`events` state changes (lights on/off through the API, 8 side by side), each delivered to every client."""
    headers = {"Authorization": f"Bearer {token}"}
    sockets = [
        await websockets.connect(f"ws://{host}/api/events", additional_headers=headers, max_queue=None)
        for _ in range(ws_clients)
    ]
    for ws in sockets:
        await ws.recv()  # hello
    received = [0] * ws_clients

    async def listen(i: int, ws: websockets.ClientConnection) -> None:
        while received[i] < events:
            message = json.loads(await ws.recv())
            if message["type"] == "state_changed":
                received[i] += 1

    async def produce(client: httpx.AsyncClient, light: str, count: int) -> None:
        for n in range(count):
            intent = "turn_off" if n % 2 == 0 else "turn_on"
            await client.post(f"/api/devices/{light}/commands", json={"intent": intent})

    await _lights_on(host, headers)
    began = time.perf_counter()
    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
    share = [events // len(LIGHTS) + (i < events % len(LIGHTS)) for i in range(len(LIGHTS))]
    async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers, timeout=30) as client:
        await asyncio.gather(*(produce(client, light, n) for light, n in zip(LIGHTS, share, strict=True)))
    produced = time.perf_counter() - began
    _, pending = await asyncio.wait(listeners, timeout=60)
    elapsed = time.perf_counter() - began
    for task in pending:
        task.cancel()
    for ws in sockets:
        await ws.close()
    delivered = sum(received)
    return {
        "clients": ws_clients,
        "events": events,
        "delivered": delivered,
        "expected": events * ws_clients,
        "delivered_per_s": delivered / elapsed,
        "produced_per_s": events / produced,
        "seconds": elapsed,
    }


async def _lights_on(host: str, headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers) as client:
        for light in LIGHTS:
            await client.post(f"/api/devices/{light}/commands", json={"intent": "turn_on"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32], help="concurrent HTTP clients (8 32)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each comparison (default 3)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per measurement (10)")
    parser.add_argument("--ws-clients", type=int, default=100, help="WebSocket clients (default 100; 0: skip)")
    parser.add_argument("--events", type=int, default=400, help="state changes to deliver (default 400)")
    args = parser.parse_args()
    port, bare_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="jibsa-bench-") as data:
        server, token = start_server(Path(data), port)
        bare = start_bare_server(bare_port)
        try:
            for run in range(1, args.runs + 1):
                print(f"conversation over HTTP, run {run}, {args.duration:g} s each:", flush=True)
                for clients in args.clients:
                    compare(port, token, bare_port, clients, args.duration)
            if args.ws_clients:
                events = asyncio.run(bench_events(f"127.0.0.1:{port}", token, args.ws_clients, args.events))
                print(
                    f"events to {events['clients']:.0f} WebSocket clients: {events['delivered_per_s']:.0f} "
                    f"events/s delivered ({events['delivered']:.0f}/{events['expected']:.0f} in "
                    f"{events['seconds']:.1f} s; {events['produced_per_s']:.1f} state changes/s produced)",
                    flush=True,
                )
        finally:
            for process in (server, bare):
                process.send_signal(signal.SIGINT)
                process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
