"""A replayed batch worked on for longer than the consumer's `ack_wait` is not delivered again meanwhile
(`kept_in_progress`), on a real nats-server's JetStream; without it, the same batch comes a second time while
the first is still in hand (the control), which is how a home's replayed requests could run out of order."""

from __future__ import annotations

import asyncio

import pytest
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, RetentionPolicy, StreamConfig

from jibsa.provider.replay_progress import kept_in_progress

ACK_WAIT_S = 1.5
WORK_S = 3 * ACK_WAIT_S  # a batch that takes three times as long as the consumer waits


async def _batch(client: NATS, name: str) -> tuple[JetStreamContext.PullSubscription, list[Msg]]:
    js = client.jetstream()
    await js.add_stream(StreamConfig(name=name, subjects=[f"{name}.>"], retention=RetentionPolicy.WORK_QUEUE))
    for number in range(3):
        await js.publish(f"{name}.cmd", f"request {number}".encode())
    consumer = await js.pull_subscribe(
        f"{name}.>", durable="shard", config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_S)
    )
    messages = await consumer.fetch(3, timeout=5)
    assert [m.data for m in messages] == [b"request 0", b"request 1", b"request 2"]
    return consumer, messages


async def _delivered_again(consumer: JetStreamContext.PullSubscription) -> list[bytes]:
    """What a second fetch (as the replay's next round makes) gets, while the first batch is in hand."""
    try:
        return [m.data for m in await consumer.fetch(3, timeout=1.0)]
    except TimeoutError:
        return []


async def test_a_batch_kept_in_progress_is_not_delivered_again_while_it_is_worked(client: NATS) -> None:
    consumer, messages = await _batch(client, "KEPT")
    async with kept_in_progress(messages, ACK_WAIT_S / 3):
        await asyncio.sleep(WORK_S - 1.0)
        again = await _delivered_again(consumer)  # ends after WORK_S: past ack_wait three times over
        await messages[0].ack()  # acknowledged as each is done; the rest still in hand
        await asyncio.sleep(ACK_WAIT_S)
        again += await _delivered_again(consumer)
        for message in messages[1:]:
            await message.ack()
    assert again == []
    await client.flush()  # the acknowledgements are published: the server has them before it is asked
    info = await consumer.consumer_info()
    assert (info.num_redelivered, info.num_ack_pending, info.num_pending) == (0, 0, 0)


async def test_without_it_the_batch_comes_again_while_it_is_in_hand(client: NATS) -> None:
    """The control: the same wait without `kept_in_progress` gets the same requests a second time."""
    consumer, messages = await _batch(client, "CONTROL")
    await asyncio.sleep(WORK_S - 1.0)
    again = await _delivered_again(consumer)
    assert again == [b"request 0", b"request 1", b"request 2"]
    assert messages[0].metadata.num_delivered == 1


@pytest.mark.parametrize("acked", [True, False])
async def test_nothing_is_said_for_a_message_already_answered(client: NATS, acked: bool) -> None:
    _, messages = await _batch(client, f"DONE{int(acked)}")
    if acked:
        for message in messages:
            await message.ack()
    said: list[str] = []
    for message in messages:
        original = message.in_progress

        async def counted(original=original) -> None:  # type: ignore[no-untyped-def]
            said.append("wpi")
            await original()

        message.in_progress = counted  # type: ignore[method-assign]
    async with kept_in_progress(messages, 0.1):
        await asyncio.sleep(0.35)
    assert (said == []) is acked
