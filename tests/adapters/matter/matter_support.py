"""Helpers of the Matter tests."""

from __future__ import annotations

import asyncio
from typing import Any

from jibsa.hub.events import Subscription


async def next_event(events: Subscription, timeout: float = 30.0) -> Any:
    """The next event of a subscription opened (`hub.bus.subscribe(accept=…)`) before the cause."""
    return await asyncio.wait_for(events.get(), timeout)
