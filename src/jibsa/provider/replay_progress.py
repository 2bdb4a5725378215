"""A replayed batch in hand: JetStream redelivers a message that is not acknowledged within the consumer's
`ack_wait`, and a batch of a shard's replay can take longer than that (homes opening, claims queueing, a
command's device answering slowly). The redelivered copy would then be worked beside the first, and a home's
requests could run out of their order. `kept_in_progress` says "still working on it" (+WPI, which restarts
the message's `ack_wait`) for every message of the batch not yet acknowledged, every `every_s`, until the
batch is done."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import nats.errors
from nats.aio.msg import Msg


@contextlib.asynccontextmanager
async def kept_in_progress(messages: Sequence[Msg], every_s: float) -> AsyncIterator[None]:
    """While the block runs, every `every_s` (a third of `ack_wait` is safe), each of `messages` not yet
    acknowledged (nor refused) is said to be in progress."""

    async def keep() -> None:
        while True:
            await asyncio.sleep(every_s)
            for message in messages:
                if not message.is_acked:
                    with contextlib.suppress(nats.errors.Error):  # NATS away: the message comes again
                        await message.in_progress()

    keeping = asyncio.create_task(keep())
    try:
        yield
    finally:
        keeping.cancel()
        await asyncio.gather(keeping, return_exceptions=True)
