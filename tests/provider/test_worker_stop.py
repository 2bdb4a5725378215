"""A worker's stop ends: a replay loop whose fetch turns its cancel into a timeout (nats-py's fetch waits with
asyncio.wait_for, which on Python 3.11 may do that) stops as asked. A CI run hung 20 minutes in a worker's
stop on it."""

from __future__ import annotations

import asyncio
from typing import Any

from jibsa.provider.settings import ProviderSettings
from jibsa.provider.worker import Worker

BOUND_S = 30  # a bound for a hang, not a speed target: the loop ends at once


class CancelTurnedIntoTimeout:
    """A stand-in for nats-py's pull subscription (the race in asyncio.wait_for cannot be made to happen on
    demand): its fetch answers a cancel with a timeout, as nats-py's sometimes does."""

    def __init__(self) -> None:
        self.fetches = 0
        self.unsubscribed = False

    async def fetch(self, batch: int, timeout: float) -> list[Any]:  # noqa: ASYNC109  (nats-py's own signature)
        self.fetches += 1
        try:
            await asyncio.sleep(timeout)
        except asyncio.CancelledError:
            raise TimeoutError from None
        raise TimeoutError

    async def unsubscribe(self) -> None:
        self.unsubscribed = True


async def test_a_replay_told_to_stop_stops_though_its_fetch_says_timeout() -> None:
    worker = Worker(ProviderSettings(nats_url="nats://127.0.0.1:1", database_url="postgresql://unused/x"))
    consumer = CancelTurnedIntoTimeout()
    replay = asyncio.ensure_future(worker._replay(0, consumer))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    replay.cancel()
    await asyncio.wait_for(asyncio.shield(replay), BOUND_S)
    assert consumer.fetches == 1 and consumer.unsubscribed
