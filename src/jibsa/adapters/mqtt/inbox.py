"""The adapter's incoming queue: the newest message per topic, each topic keeping its place in line.

Everything the adapter subscribes to is state-like (discovery configs, states, availability: each
message replaces the one before it on its topic), so when the hub falls behind, a flood on one
topic costs one pending message, not one per message sent, and the queue holds at most one
message per topic.
"""

from __future__ import annotations

import asyncio

import aiomqtt


class LatestPerTopic(asyncio.Queue[aiomqtt.Message]):
    """An `asyncio.Queue` (for aiomqtt's `queue_type`) in which a topic's newer message replaces
    its older one still waiting."""

    def _init(self, maxsize: int) -> None:
        self._by_topic: dict[str, aiomqtt.Message] = {}
        self.coalesced = 0

    def _put(self, item: aiomqtt.Message) -> None:
        topic = str(item.topic)
        if topic in self._by_topic:
            self.coalesced += 1
        self._by_topic[topic] = item  # an existing key keeps its position

    def _get(self) -> aiomqtt.Message:
        topic = next(iter(self._by_topic))
        return self._by_topic.pop(topic)

    def qsize(self) -> int:
        return len(self._by_topic)

    def empty(self) -> bool:
        return not self._by_topic
