"""Where time comes from. The hub, the simulators and the scheduler take a `Clock`, so tests can
run an hour of washing in a millisecond with `ManualClock.advance`."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (wall-clock time: schedules say "21:00")."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return once `now()` has reached `deadline`."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> float:
        return time.time()

    async def sleep_until(self, deadline: float) -> None:
        delay = deadline - time.time()
        if delay > 0:
            await asyncio.sleep(delay)


class ManualClock:
    """A clock that moves only when told to. `advance` lets ready tasks run, then wakes every sleeper
    whose deadline has come, in deadline order, letting each run before the clock moves on."""

    def __init__(self, start: float = 1_767_222_000.0) -> None:  # 2026-01-01 08:00 Asia/Seoul
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep_until(self, deadline: float) -> None:
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (deadline, next(self._order), future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`, waking sleepers in order as their deadlines pass."""
        end = self._now + seconds
        await settle()  # tasks just started reach their first sleep before time moves
        while self._sleepers and self._sleepers[0][0] <= end:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
            await settle()
        self._now = end
        await settle()


async def settle(rounds: int = 20) -> None:
    """Let every task that is ready run (a few loop turns), without waiting on real time."""
    for _ in range(rounds):
        await asyncio.sleep(0)
