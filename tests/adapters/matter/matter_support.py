"""Helpers of the Matter tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from jibsa.hub.events import Subscription

HOME_FILE = str(Path(__file__).with_name("home.yaml"))  # the Matter tests' home


async def next_event(events: Subscription, within_s: float = 30.0) -> Any:
    """The next event of a subscription opened (`hub.bus.subscribe(accept=…)`) before the cause."""
    return await asyncio.wait_for(events.get(), within_s)
