"""Benchmark of `jibsa serve` over loopback HTTP: conversation requests per second with p50/p99
latency for N concurrent clients, and events per second delivered to 100 WebSocket clients.

    .venv/bin/python bench/http_bench.py [--clients 8] [--duration 10] [--ws-clients 100] [--events 200]

Starts its own server (the sample home, simulated appliances, SQLite in a temporary directory) on a
free loopback port, so the numbers include HTTP, auth, the parser, the hub and durable state writes.
The load generator runs in this process, on the same machine: on a small box it competes with the
server for CPU, so these are lower bounds of what the server alone could do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

SENTENCES = ["거실 불 꺼줘", "거실 불 켜줘", "안방 에어컨 24도로 맞춰줘", "서재 조명 밝기 50으로", "지금 몇 시야?",
             "주방 불 꺼줘", "주방 불 켜줘", "거실 온도 알려줘"]  # fmt: skip
# Lights toggled side by side to make state changes (each toggle is exactly one event).
LIGHTS = ["living_ceiling", "living_stand", "master_light", "kids_light", "study_light", "kitchen_light",
          "utility_light", "entrance_light"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(data: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """`jibsa serve` in a child process; returns it and the first-run owner token."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(data), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"server did not start:\n{seen}")
        seen += line
        if line.startswith("jibsa: "):
            match = re.search(r"(jibsa_\S+)", seen)
            if match is None:
                raise SystemExit("no first-run token: use an empty data directory")
            return process, match.group(1)
    raise SystemExit("server did not start in 60 s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench_conversation(base: str, token: str, clients: int, duration: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=30) as client:

        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < stop_at:
                text = SENTENCES[i % len(SENTENCES)]
                i += 1
                started = time.perf_counter()
                response = await client.post("/api/conversation", json={"text": text, "session": f"bench{n}"})
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - began
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000, "p99_ms": _percentile(latencies, 0.99) * 1000}


async def bench_events(host: str, token: str, ws_clients: int, events: int) -> dict[str, float]:
    """`events` state changes (lights on/off through the API, 8 side by side), each delivered to every client."""
    headers = {"Authorization": f"Bearer {token}"}
    sockets = [await websockets.connect(f"ws://{host}/api/events", additional_headers=headers, max_queue=None)
               for _ in range(ws_clients)]
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
    return {"clients": ws_clients, "events": events, "delivered": delivered, "expected": events * ws_clients,
            "delivered_per_s": delivered / elapsed, "produced_per_s": events / produced, "seconds": elapsed}


async def _lights_on(host: str, headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers) as client:
        for light in LIGHTS:
            await client.post(f"/api/devices/{light}/commands", json={"intent": "turn_on"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of conversation load (default 10)")
    parser.add_argument("--ws-clients", type=int, default=100, help="WebSocket clients (default 100)")
    parser.add_argument("--events", type=int, default=400, help="state changes to deliver (default 400)")
    args = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="jibsa-bench-") as data:
        server, token = start_server(Path(data), port)
        try:
            talk = asyncio.run(bench_conversation(f"http://127.0.0.1:{port}", token, args.clients, args.duration))
            print(f"conversation over HTTP, {args.clients} concurrent clients, {args.duration:g} s: "
                  f"{talk['rps']:.1f} req/s, p50 {talk['p50_ms']:.1f} ms, p99 {talk['p99_ms']:.1f} ms "
                  f"({talk['requests']:.0f} requests, {talk['errors']:.0f} errors)", flush=True)
            events = asyncio.run(bench_events(f"127.0.0.1:{port}", token, args.ws_clients, args.events))
            print(f"events to {events['clients']:.0f} WebSocket clients: {events['delivered_per_s']:.0f} events/s "
                  f"delivered ({events['delivered']:.0f}/{events['expected']:.0f} in {events['seconds']:.1f} s; "
                  f"{events['produced_per_s']:.1f} state changes/s produced)", flush=True)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
