"""A few at a time, the oldest asked first: the homes a takeover opens.

A worker that takes over a dead worker's shards opens hundreds of homes at once, a few at a time (each takes
CPU). Taken in the order they came to wait, a home asked in the first moment of the gap could wait behind
homes asked seconds later, because its shard's backlog was fetched a little later than another's; its
person waited longest. Here the slots go to the waiter asked first (`asked_at`, the request's time in the
stream), whenever it came to wait."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator


class OldestFirst:
    """At most `size` holders at once; a freed slot goes to the waiter with the smallest `asked_at`."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()  # equal times: in the order they came

    @contextlib.asynccontextmanager
    async def slot(self, asked_at: float) -> AsyncIterator[None]:
        await self._take(asked_at)
        try:
            yield
        finally:
            self._give_back()

    async def _take(self, asked_at: float) -> None:
        if self._free and not self._waiting:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (asked_at, next(self._order), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed the slot as it was cancelled: pass it on
                self._give_back()
            raise  # a cancelled turn stays in the heap and is passed over

    def _give_back(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1
