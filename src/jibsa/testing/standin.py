"""What both stand-in clouds share: an aiohttp server on a free local port, a switch that makes the
next requests fail the way a real cloud fails, and a clock that tells tests when someone sleeps."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from aiohttp import web

from jibsa.hub.clock import ManualClock


class Fault(StrEnum):
    """How a request fails: the cloud refuses the token, is rate-limited, breaks, or never answers."""

    UNAUTHORIZED = "401"
    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    HANG = "hang"


@dataclass(frozen=True, slots=True)
class _Pending:
    fault: Fault
    path_contains: str


class FaultSwitch:
    """Faults queued for the next requests (optionally only those whose path contains a string),
    and a log of every request the server saw."""

    def __init__(self) -> None:
        self._pending: deque[_Pending] = deque()
        self.requests: list[tuple[str, str]] = []  # (method, path) in arrival order
        self.faults_served: list[tuple[Fault, str]] = []
        self.retry_after_s = 1
        self._release = asyncio.Event()
        self._seen = asyncio.Condition()

    def fail_next(self, fault: Fault, count: int = 1, *, path_contains: str = "") -> None:
        """Make the next `count` matching requests fail with `fault`."""
        self._pending.extend(_Pending(fault, path_contains) for _ in range(count))

    def clear(self) -> None:
        self._pending.clear()

    async def record(self, method: str, path: str) -> Fault | None:
        """Log a request; the fault it must meet, if any (consumed)."""
        self.requests.append((method, path))
        fault = None
        for pending in self._pending:
            if pending.path_contains in path:
                self._pending.remove(pending)
                fault = pending.fault
                self.faults_served.append((fault, path))
                break
        async with self._seen:
            self._seen.notify_all()
        return fault

    def count(self, path_contains: str, method: str | None = None) -> int:
        return sum(1 for m, p in self.requests if path_contains in p and (method is None or m == method))

    async def hang(self) -> None:
        """Never answer (until the server closes)."""
        await self._release.wait()

    def release(self) -> None:
        self._release.set()


class StandInServer:
    """An aiohttp application on 127.0.0.1 and a free port. Subclasses add routes and say how an
    error looks in their vendor's format. Use `async with Server() as server: server.base_url`."""

    def __init__(self) -> None:
        self.faults = FaultSwitch()
        self.app = web.Application(middlewares=[self._fault_middleware])
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def render_fault(self, fault: Fault) -> web.Response:
        raise NotImplementedError

    @web.middleware
    async def _fault_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        fault = await self.faults.record(request.method, request.path)
        if fault is Fault.HANG:
            await self.faults.hang()
            return web.Response(status=503)
        if fault is not None:
            return self.render_fault(fault)
        return await handler(request)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on `host` and `port` (0: a free one); the base address to point a client at."""
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def close(self) -> None:
        self.faults.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class WatchedClock(ManualClock):
    """A `ManualClock` that lets a test wait until some task sleeps on it (a retry's backoff, a
    poll's interval), so the test can then move time on without guessing."""

    def __init__(self, start: float = 1_767_222_000.0) -> None:
        super().__init__(start)
        self._sleeping = asyncio.Condition()
        self.sleeps: list[float] = []  # the deadlines asked for, in order

    async def sleep_until(self, deadline: float) -> None:
        self.sleeps.append(deadline)
        async with self._sleeping:
            self._sleeping.notify_all()
        await super().sleep_until(deadline)

    async def wait_sleeps(self, count: int) -> None:
        """Return once `sleep_until` has been called `count` times in all."""
        async with self._sleeping:
            await self._sleeping.wait_for(lambda: len(self.sleeps) >= count)
