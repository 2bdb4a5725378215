"""Incoming queues: the hub's keeps the newest message per topic in first-arrival order; a device's
keeps every command in order."""

from __future__ import annotations

import asyncio

from jibsa.adapters.mqtt.inbox import InOrder, LatestPerTopic


async def test_a_flood_on_one_topic_is_one_message_and_latest_wins() -> None:
    inbox = LatestPerTopic()
    inbox.put("a/state", b"1")
    inbox.put("b/state", b"x")
    for n in range(2, 1000):
        inbox.put("a/state", str(n).encode())
    assert len(inbox) == 2 and inbox.coalesced == 998
    await asyncio.wait_for(inbox.wait(), 1)
    assert inbox.take(1) == [("a/state", b"999")]
    assert inbox.take(10) == [("b/state", b"x")]
    assert len(inbox) == 0


async def test_new_topics_beyond_the_limit_are_dropped_and_counted() -> None:
    inbox = LatestPerTopic(max_topics=2)
    for topic in ("a", "b", "c", "d"):
        inbox.put(topic, b"1")
    inbox.put("a", b"2")  # a waiting topic is still replaced
    assert inbox.dropped == 2
    assert inbox.take(10) == [("a", b"2"), ("b", b"1")]


async def test_wait_blocks_until_something_arrives() -> None:
    inbox = InOrder()
    waiter = asyncio.ensure_future(inbox.wait())
    await asyncio.sleep(0.01)
    assert not waiter.done()
    inbox.put("t", b"1")
    await asyncio.wait_for(waiter, 1)


async def test_commands_keep_their_order_and_none_is_merged() -> None:
    inbox = InOrder()
    for n in range(5):
        inbox.put("light/set", str(n).encode())
    assert inbox.take(3) == [("light/set", b"0"), ("light/set", b"1"), ("light/set", b"2")]
    assert inbox.take(3) == [("light/set", b"3"), ("light/set", b"4")]
    assert len(inbox) == 0
