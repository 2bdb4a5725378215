"""The adapter's topic subscriptions: all of them again on each connection, new ones and dropped
ones in batches, many to a SUBSCRIBE or UNSUBSCRIBE packet, sent beside the message loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import aiomqtt

log = logging.getLogger("jibsa.adapters.mqtt")
BATCH = 500
RETRY_S = 0.1


class Subscriptions:
    def __init__(self) -> None:
        self._topics: set[str] = set()  # subscribed in this session, or asked for
        self._to_add: dict[str, None] = {}  # ordered sets, sent by `keep`
        self._to_drop: dict[str, None] = {}
        self._wake = asyncio.Event()

    def __contains__(self, topic: str) -> bool:
        return topic in self._topics

    def add(self, topic: str) -> None:
        self._topics.add(topic)
        self._to_drop.pop(topic, None)
        self._to_add[topic] = None
        self._wake.set()

    def drop(self, topic: str) -> None:
        """No entity reads `topic` any more (a forgotten entity's state topic): unsubscribe."""
        self._topics.discard(topic)
        self._to_add.pop(topic, None)
        self._to_drop[topic] = None
        self._wake.set()

    async def renew(self, client: aiomqtt.Client, topics: Sequence[str]) -> None:
        """On a new connection (a clean session): subscribe to every topic."""
        self._topics, self._to_add, self._to_drop = set(topics), {}, {}
        for start in range(0, len(topics), BATCH):
            await client.subscribe([(t, 1) for t in topics[start : start + BATCH]])

    async def keep(self, client: aiomqtt.Client) -> None:
        """For the connection's life: send what `add` and `drop` asked for."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._to_add or self._to_drop:
                try:
                    await self._send(client)
                except aiomqtt.MqttError as exc:  # asked again; a reconnect subscribes to everything anyway
                    log.warning("subscription change failed (%s); trying again", exc)
                    await asyncio.sleep(RETRY_S)

    async def _send(self, client: aiomqtt.Client) -> None:
        adding = list(self._to_add)[:BATCH]
        if adding:
            await client.subscribe([(t, 1) for t in adding])
            for topic in adding:
                self._to_add.pop(topic, None)
        dropping = list(self._to_drop)[:BATCH]
        if dropping:
            await client.unsubscribe(dropping)
            for topic in dropping:
                self._to_drop.pop(topic, None)
