"""get_time and get_date: read off the hub's clock in the home's time zone."""

from __future__ import annotations

from datetime import datetime

from jibsa.domain import Command
from jibsa.hub import Outcome, SkillHost


async def get_time(command: Command, hub: SkillHost) -> Outcome:
    now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
    return Outcome(command, answer={"hour": now.hour, "minute": now.minute, "iso": now.isoformat(timespec="minutes")})


async def get_date(command: Command, hub: SkillHost) -> Outcome:
    now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
    return Outcome(
        command,
        answer={
            "year": now.year,
            "month": now.month,
            "day": now.day,
            "weekday": now.weekday(),
            "iso": now.date().isoformat(),
        },
    )
