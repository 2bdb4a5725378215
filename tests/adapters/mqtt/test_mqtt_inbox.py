"""The adapter's incoming queue keeps the newest message per topic, in first-arrival order."""

from __future__ import annotations

import aiomqtt

from jibsa.adapters.mqtt.inbox import LatestPerTopic


def message(topic: str, payload: bytes) -> aiomqtt.Message:
    return aiomqtt.Message(topic, payload, qos=0, retain=False, mid=0, properties=None)


async def test_a_flood_on_one_topic_is_one_message_and_latest_wins() -> None:
    inbox = LatestPerTopic(maxsize=10)
    inbox.put_nowait(message("a/state", b"1"))
    inbox.put_nowait(message("b/state", b"x"))
    for n in range(2, 1000):
        inbox.put_nowait(message("a/state", str(n).encode()))
    assert inbox.qsize() == 2 and inbox.coalesced == 998
    first, second = inbox.get_nowait(), await inbox.get()
    assert (str(first.topic), first.payload) == ("a/state", b"999")
    assert (str(second.topic), second.payload) == ("b/state", b"x")
    assert inbox.empty()
