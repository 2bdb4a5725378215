"""bench/provider_bench.py's load generator: several processes, each with its own share of the homes, an
aiohttp client with one keep-alive pool, and its share of the command rate.

The parent sends each process its homes and their tokens; a process opens them (`GET /api/state`, which
opens each home in its worker) and answers with their lights' values; on "go" it drives its commands for
the given seconds and sends back one record per command. Measured on this machine against one small
server, aiohttp's client took 0.5 ms of CPU a request and httpx's 5-10 ms (bench/http_client_cpu.py), and one process
of httpx took more CPU than everything it measured; with the homes split, a process needs nothing of the
others (a home has one command in flight, and each home is in one share).

Times are `time.monotonic()`, one clock for every process on Linux (CLOCK_MONOTONIC), so the parent
compares them with its own (the kill, the burst)."""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from jibsa.provider.load import LIGHT, Load, Sent

_RETRY_STATUS = frozenset({502, 503, 504})  # the home's worker did not answer (yet): ask again
_GIVE_UP_S = 30.0


@dataclass(frozen=True)
class Done:
    """What one process sent, as plain tuples (pickled back to the parent), and its CPU seconds."""

    sent: list[tuple[str, str, int, float, float | None, float | None, bool, str]]
    cpu_s: float
    posts: int  # HTTP requests, retries included


class Clients:
    """`count` load processes over `tokens` (home -> owner token), started with `start()`."""

    def __init__(self, gateway_url: str, tokens: dict[str, str], count: int) -> None:
        homes = sorted(tokens)
        self._shares = [{h: tokens[h] for h in homes[i::count]} for i in range(count)]
        context = multiprocessing.get_context("spawn")  # no copy of the parent's event loop or sockets
        self._pipes: list[Connection] = []
        self._processes = []
        for n, share in enumerate(self._shares):
            parent, child = context.Pipe()
            process = context.Process(target=_main, args=(child, gateway_url, share, n), name=f"load-{n}", daemon=True)
            self._pipes.append(parent)
            self._processes.append(process)

    def start(self) -> None:
        for process in self._processes:
            process.start()

    async def open_homes(self, load: Load) -> None:
        """Every home opened through the gateway; its light's value as it was, into `load`."""
        for pipe in self._pipes:
            pipe.send(("open",))
        for pipe in self._pipes:
            answer = await asyncio.to_thread(pipe.recv)
            if isinstance(answer, BaseException):
                raise answer
            for home, value in answer.items():
                load.start_values[home] = value
                load.sent.setdefault(home, [])

    async def drive(self, load: Load, at: float, seconds: float, rate: float) -> float:
        """Commands from `at` (monotonic) for `seconds`, `rate` a second in all, split evenly; the records go
        into `load`. Returns the processes' CPU seconds while driving (every process's `process_time`)."""
        per_process = rate / len(self._pipes)
        for pipe in self._pipes:
            pipe.send(("drive", at, seconds, per_process))
        cpu_s = 0.0
        self.posts = 0
        for pipe in self._pipes:
            done = await asyncio.to_thread(pipe.recv)
            if isinstance(done, BaseException):
                raise done
            cpu_s += done.cpu_s
            self.posts += done.posts
            for home, request_id, value, first, answered, confirmed, ok, code in done.sent:
                load.sent[home].append(Sent(home, request_id, value, first, answered, ok, code, confirmed))
        return cpu_s

    def stop(self) -> None:
        for pipe in self._pipes:
            if not pipe.closed:
                pipe.close()
        for process in self._processes:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()


def _main(pipe: Connection, gateway_url: str, tokens: dict[str, str], seed: int) -> None:
    """A load process: orders from `pipe` until the parent closes it."""
    share = _Share(gateway_url, tokens, seed)
    try:
        while True:
            try:
                order = pipe.recv()
            except EOFError:
                return
            try:
                if order[0] == "open":
                    share.starts = asyncio.run(_open(gateway_url, tokens))
                    pipe.send(share.starts)
                else:
                    _, at, seconds, rate = order
                    pipe.send(asyncio.run(_drive(share, at, seconds, rate)))
            except Exception as error:
                pipe.send(RuntimeError(f"load process {seed}: {type(error).__name__}: {error}"))
    except KeyboardInterrupt:
        return


def _session(gateway_url: str) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)  # one pool; never more than the homes in flight
    return aiohttp.ClientSession(base_url=gateway_url, connector=connector, timeout=aiohttp.ClientTimeout(total=30))


async def _open(gateway_url: str, tokens: dict[str, str], concurrency: int = 32) -> dict[str, int]:
    gate = asyncio.Semaphore(concurrency)
    starts: dict[str, int] = {}
    async with _session(gateway_url) as http:

        async def one(home: str) -> None:
            async with gate:
                for _ in range(20):
                    try:
                        async with http.get("/api/state", headers=_auth(tokens[home])) as answer:
                            if answer.status == 200:
                                starts[home] = int((await answer.json())[LIGHT].get("brightness") or 0)
                                return
                    except aiohttp.ClientError:  # a kept-alive connection the gateway closed: ask again
                        continue
                raise RuntimeError(f"home {home} did not answer through the gateway")

        await asyncio.gather(*(one(h) for h in tokens))
    return starts


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class _Record:
    home: str
    request_id: str
    value: int
    first_sent: float
    answered: float | None = None
    confirmed: float | None = None  # when the device's own state showed the value (the reply says so)
    ok: bool = False
    code: str = ""

    def row(self) -> tuple[str, str, int, float, float | None, float | None, bool, str]:
        return (self.home, self.request_id, self.value, self.first_sent, self.answered, self.confirmed, self.ok,
                self.code)  # fmt: skip


@dataclass
class _Share:
    gateway_url: str
    tokens: dict[str, str]  # home -> its owner's token
    seed: int
    starts: dict[str, int] = field(default_factory=dict)  # home -> its light's value when opened


async def _drive(share: _Share, at: float, seconds: float, rate: float) -> Done:
    """`rate` commands a second from `at` for `seconds`, each to a random home of this share with none in
    flight, set to a value new to that home."""
    gateway_url, tokens, starts = share.gateway_url, share.tokens, share.starts
    rng = random.Random(share.seed)
    homes = sorted(starts)
    used = {h: {v} for h, v in starts.items()}
    busy: set[str] = set()
    records: list[_Record] = []
    tasks: set[asyncio.Task[None]] = set()
    posts = [0]
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    cpu_before = time.process_time()
    async with _session(gateway_url) as http:
        next_at, end = at, at + seconds
        while (now := time.monotonic()) < end:
            if now < next_at:
                await asyncio.sleep(next_at - now)
            next_at += 1.0 / rate
            home = next((h for h in rng.sample(homes, min(len(homes), 8)) if h not in busy), None)
            if home is None and len(busy) < len(homes):  # most homes busy: any free one, not a missed slot
                home = rng.choice([h for h in homes if h not in busy])
            value = None if home is None else next((v for v in range(1, 101) if v not in used[home]), None)
            if home is None or value is None:
                continue
            used[home].add(value)
            busy.add(home)
            record = _Record(home, uuid.uuid4().hex, value, time.monotonic())
            records.append(record)
            task = asyncio.ensure_future(_command(http, tokens[home], record, posts))
            task.add_done_callback(lambda _, h=home: busy.discard(h))  # type: ignore[misc]
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
    return Done([r.row() for r in records], time.process_time() - cpu_before, posts[0])


async def _command(http: aiohttp.ClientSession, token: str, record: _Record, posts: list[int]) -> None:
    """POST the command under one Idempotency-Key until it is answered (or _GIVE_UP_S passes). The gateway
    answers every request (504 when the worker is silent for its request_timeout_s), so a request is not
    abandoned while it waits there: a client that timed out and sent it again would only double the work of
    a gateway that is behind."""
    body = {"intent": "set", "targets": [LIGHT], "params": {"property": "brightness", "value": record.value}}
    headers = {**_auth(token), "Idempotency-Key": record.request_id}
    while (left_s := _GIVE_UP_S - (time.monotonic() - record.first_sent)) > 0:
        posts[0] += 1
        try:
            async with http.post(
                "/api/command", json=body, headers=headers, timeout=aiohttp.ClientTimeout(total=left_s)
            ) as answer:
                status = answer.status
                result = await answer.json() if status == 200 else {}
        except aiohttp.ClientError:  # a kept-alive connection the gateway closed: send it again
            await asyncio.sleep(0.05)
            continue
        except TimeoutError:
            return
        if status in _RETRY_STATUS:  # 503: the worker is moving the shard or the database is away
            await asyncio.sleep(0.05 if status != 503 else 0.2)
            continue
        record.answered = time.monotonic()
        if _confirmed(result, record.value):
            record.confirmed, record.ok = record.answered, True
        else:
            record.code = str(status)
        return


def _confirmed(result: Any, value: int) -> bool:
    """The reply says the command was carried out and the light's own state shows `value`."""
    targets: Sequence[Any] = result.get("results") or [{}]
    target = targets[0]
    state = target.get("state") or {}
    return bool(result.get("ok")) and target.get("delivery", "done") == "done" and state.get("brightness") == value
