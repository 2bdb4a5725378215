"""The homes a takeover opens take their turns by when they were asked, not by when they came to wait."""

from __future__ import annotations

import asyncio

from jibsa.provider.oldest_first import OldestFirst


async def _hold(slots: OldestFirst, asked_at: float, order: list[float], go: asyncio.Event) -> None:
    async with slots.slot(asked_at):
        order.append(asked_at)
        await go.wait()


async def test_a_freed_slot_goes_to_the_oldest_waiter() -> None:
    slots, order, go = OldestFirst(1), [], asyncio.Event()
    first = asyncio.create_task(_hold(slots, 5.0, order, go))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(_hold(slots, t, order, go)) for t in (3.0, 1.0, 2.0, 1.0)]
    await asyncio.sleep(0)
    assert order == [5.0]  # the slot is held: the others wait
    go.set()
    await asyncio.gather(first, *waiting)
    assert order == [5.0, 1.0, 1.0, 2.0, 3.0]


async def test_a_cancelled_waiter_takes_no_slot_and_loses_none() -> None:
    slots, order, go = OldestFirst(2), [], asyncio.Event()
    held = [asyncio.create_task(_hold(slots, t, order, go)) for t in (1.0, 2.0)]
    await asyncio.sleep(0)
    gone = asyncio.create_task(_hold(slots, 0.5, order, go))
    later = asyncio.create_task(_hold(slots, 9.0, order, go))
    await asyncio.sleep(0)
    gone.cancel()
    go.set()
    await asyncio.gather(*held, later)
    assert gone.cancelled() and order == [1.0, 2.0, 9.0]
    both = [asyncio.create_task(_hold(slots, t, order, asyncio.Event())) for t in (3.0, 4.0)]
    await asyncio.sleep(0)
    assert order[-2:] == [3.0, 4.0]  # both slots are free again, as many as at the start
    for task in both:
        task.cancel()
    await asyncio.gather(*both, return_exceptions=True)
