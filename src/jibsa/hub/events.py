"""The hub's event bus: every state change is an event carrying the old and the new state.

Listeners are plain callables run synchronously on publish (cheap, for in-process consumers such
as the state writer); subscriptions are bounded async queues for consumers that may be slow (a
WebSocket client): when one falls behind, its oldest events are dropped and counted, so no slow
reader can hold the hub back or grow memory without bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[[Any], None]


class Subscription:
    """An async iterator over events published after it was opened."""

    def __init__(self, bus: EventBus, maxsize: int, accept: Callable[[Any], bool] | None) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)
        self._accept = accept
        self.dropped = 0

    def _offer(self, event: Any) -> None:
        if self._accept is not None and not self._accept(event):
            return
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(event)

    async def get(self) -> Any:
        return await self._queue.get()

    def get_nowait(self) -> Any | None:
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def close(self) -> None:
        self._bus._subscriptions.discard(self)

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        while True:
            yield await self._queue.get()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._subscriptions: set[Subscription] = set()

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` for every event; returns a function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def subscribe(self, maxsize: int = 1000, accept: Callable[[Any], bool] | None = None) -> Subscription:
        """Open a bounded queue of events (those `accept` lets through)."""
        subscription = Subscription(self, maxsize, accept)
        self._subscriptions.add(subscription)
        return subscription

    def publish(self, event: Any) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # one broken listener must not stop the others or the publisher
                log.exception("event listener %r failed on %r", listener, type(event).__name__)
        for subscription in tuple(self._subscriptions):
            subscription._offer(event)
