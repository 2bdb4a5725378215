"""Incoming MQTT messages waiting to be handled: the newest per topic.

Everything the adapter subscribes to is state-like (discovery configs, states, availability: each
message replaces the one before it on its topic), so when the hub falls behind, a flood on one topic
costs one pending message, not one per message sent. aiomqtt takes the queue's type
(`queue_type=LatestPerTopic`), as it takes asyncio's LIFO and priority queues.
"""

from __future__ import annotations

import asyncio

import aiomqtt


class LatestPerTopic(asyncio.Queue[aiomqtt.Message]):
    """A queue that keeps only the newest message per topic, each topic keeping its place in line."""

    def _init(self, maxsize: int) -> None:
        # asyncio.Queue measures `_queue` itself (qsize, empty): it is this dict, newest message by topic.
        self._queue: dict[str, aiomqtt.Message] = {}
        self.coalesced = 0

    def _put(self, item: aiomqtt.Message) -> None:
        topic = item.topic.value
        if topic in self._queue:
            self.coalesced += 1
        self._queue[topic] = item  # an existing key keeps its position

    def _get(self) -> aiomqtt.Message:
        return self._queue.pop(next(iter(self._queue)))
