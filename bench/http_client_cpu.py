"""CPU per request of two HTTP clients, httpx and aiohttp, each driving 200 requests a second at one small
aiohttp server in another process (a reply the size of the gateway's answer to a command): which client the
provider bench's load processes use (bench/provider_load.py).

    .venv/bin/python bench/http_client_cpu.py [--requests 3000]

Prints one JSON line: per client, ms of this process's CPU per request and the seconds the run took."""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
from aiohttp import web

from jibsa.testing.processes import free_port

_REPLY = json.dumps({
    "ok": True, "said": "x" * 80,
    "results": [{"target": "study_light", "ok": True, "state": {"power": True, "brightness": 42}}],
}).encode()  # fmt: skip
_BODY = {"intent": "set", "targets": ["study_light"], "params": {"property": "brightness", "value": 5}}
_RATE = 200.0


def _serve(port: int) -> None:
    async def command(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=_REPLY, content_type="application/json")

    app = web.Application()
    app.router.add_post("/api/command", command)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


async def _paced(one: Callable[[int], Awaitable[None]], count: int) -> tuple[float, float]:
    await asyncio.gather(*(one(i) for i in range(50)))  # connections made before the clock starts
    cpu, began = time.process_time(), time.monotonic()
    tasks, next_at = [], time.monotonic()
    for i in range(count):
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        next_at += 1 / _RATE
        tasks.append(asyncio.ensure_future(one(i)))
    await asyncio.gather(*tasks)
    return (time.process_time() - cpu) / count * 1000, time.monotonic() - began


async def _httpx(url: str, count: int) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=512)  # as the bench had it
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one(i: int) -> None:
            (await client.post("/api/command", json=_BODY, headers={"Idempotency-Key": str(i)})).json()

        return await _paced(one, count)


async def _aiohttp(url: str, count: int) -> tuple[float, float]:
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
    async with aiohttp.ClientSession(base_url=url, connector=connector) as session:

        async def one(i: int) -> None:
            async with session.post("/api/command", json=_BODY, headers={"Idempotency-Key": str(i)}) as answer:
                await answer.json()

        return await _paced(one, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    port = free_port()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(port,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_wait_for(url))
        found = {}
        for name, run in (("httpx", _httpx), ("aiohttp", _aiohttp)):
            ms, seconds = asyncio.run(run(url, args.requests))
            found[name] = {"cpu_ms_per_request": round(ms, 3), "seconds": round(seconds, 1)}
    finally:
        server.terminate()
        server.join()
    loadavg = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps({**found, "requests": args.requests, "rate": _RATE, "loadavg": loadavg}))


async def _wait_for(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(100):
            try:
                async with session.post(f"{url}/api/command", json=_BODY):
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise RuntimeError("the test server did not start")


if __name__ == "__main__":
    main()
