"""Helpers of the Matter tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from jibsa.hub.events import Subscription
from jibsa.testing.matter_lab import lab_problem

HOME_FILE = str(Path(__file__).with_name("home.yaml"))  # the Matter tests' home


async def next_event(events: Subscription, within_s: float = 30.0) -> Any:
    """The next event of a subscription opened (`hub.bus.subscribe(accept=…)`) before the cause."""
    return await asyncio.wait_for(events.get(), within_s)


def namespaces_impossible() -> str | None:
    """Why network namespaces cannot be made here (the only reason the Matter tests skip), or None."""
    problem = lab_problem()
    if problem is None or "packages are not installed" in problem:
        return None
    return problem if ("root" in problem or "namespaces" in problem or "iproute2" in problem) else None
