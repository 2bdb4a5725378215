"""The hub's incoming queue keeps the newest message per topic, in first-arrival order."""

from __future__ import annotations

import asyncio

import aiomqtt
import pytest

from jibsa.adapters.mqtt.inbox import LatestPerTopic


def message(topic: str, payload: bytes) -> aiomqtt.Message:
    return aiomqtt.Message(topic, payload, qos=0, retain=False, mid=0, properties=None)


async def test_a_flood_on_one_topic_is_one_message_and_latest_wins() -> None:
    inbox = LatestPerTopic()
    inbox.put_nowait(message("a/state", b"1"))
    inbox.put_nowait(message("b/state", b"x"))
    for n in range(2, 1000):
        inbox.put_nowait(message("a/state", str(n).encode()))
    assert inbox.qsize() == 2 and inbox.coalesced == 998
    first = await asyncio.wait_for(inbox.get(), 1)
    assert (first.topic.value, first.payload) == ("a/state", b"999")
    second = inbox.get_nowait()
    assert (second.topic.value, second.payload) == ("b/state", b"x")
    assert inbox.empty()


async def test_new_topics_beyond_the_limit_are_refused() -> None:
    inbox = LatestPerTopic(maxsize=2)
    inbox.put_nowait(message("a", b"1"))
    inbox.put_nowait(message("b", b"1"))
    with pytest.raises(asyncio.QueueFull):
        inbox.put_nowait(message("c", b"1"))
    assert [inbox.get_nowait().topic.value for _ in range(2)] == ["a", "b"]


async def test_get_waits_until_something_arrives() -> None:
    inbox = LatestPerTopic()
    waiter = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0.01)
    assert not waiter.done()
    inbox.put_nowait(message("t", b"1"))
    assert (await asyncio.wait_for(waiter, 1)).payload == b"1"
