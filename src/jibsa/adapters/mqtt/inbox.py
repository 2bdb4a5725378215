"""Incoming MQTT messages waiting to be handled, filled by the client as it decodes them.

The hub's side keeps only the newest message per topic (`LatestPerTopic`): everything the adapter
subscribes to is state-like (discovery configs, states, availability: each message replaces the one
before it on its topic), so when the hub falls behind, a flood on one topic costs one pending
message, not one per message sent. A device's side keeps every command in order (`InOrder`): two
commands in a row to one topic are two things to do.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import deque

log = logging.getLogger("jibsa.adapters.mqtt")


class LatestPerTopic:
    """The newest message per topic, each topic keeping its place in line; at most `max_topics`."""

    def __init__(self, max_topics: int = 100_000) -> None:
        self._by_topic: dict[str, bytes] = {}
        self._ready = asyncio.Event()
        self._max_topics = max_topics
        self.coalesced = 0
        self.dropped = 0

    def put(self, topic: str, payload: bytes) -> None:
        waiting = self._by_topic
        if topic in waiting:
            self.coalesced += 1
        elif len(waiting) >= self._max_topics:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 10_000 == 0:
                log.warning("%d topics are waiting; %s and %d other messages on new topics dropped",
                            len(waiting), topic, self.dropped - 1)
            return
        waiting[topic] = payload  # an existing key keeps its position
        self._ready.set()

    def take(self, limit: int) -> list[tuple[str, bytes]]:
        """Up to `limit` waiting messages, oldest topic first."""
        waiting = self._by_topic
        taken = [(topic, waiting.pop(topic)) for topic in list(itertools.islice(waiting, limit))]
        if not waiting:
            self._ready.clear()
        return taken

    async def wait(self) -> None:
        """Return when a message is waiting."""
        await self._ready.wait()

    def __len__(self) -> int:
        return len(self._by_topic)


class InOrder:
    """Every message, in arrival order."""

    def __init__(self) -> None:
        self._messages: deque[tuple[str, bytes]] = deque()
        self._ready = asyncio.Event()

    def put(self, topic: str, payload: bytes) -> None:
        self._messages.append((topic, payload))
        self._ready.set()

    def take(self, limit: int) -> list[tuple[str, bytes]]:
        messages = self._messages
        taken = [messages.popleft() for _ in range(min(limit, len(messages)))]
        if not messages:
            self._ready.clear()
        return taken

    async def wait(self) -> None:
        await self._ready.wait()

    def __len__(self) -> int:
        return len(self._messages)
