"""When a delayed or scheduled command is due: "30분 뒤에", "저녁 9시에", "평일 7시마다", "매주 월요일 8시에"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from jibsa.domain.commands import REPEAT_DAYS, parse_clock


def next_occurrence(at: str, now: float, tz: ZoneInfo, repeat: str | None = None) -> float:
    """The first moment strictly after `now` when the clock in `tz` shows `at` on an allowed day."""
    hour, minute = parse_clock(at)
    local = datetime.fromtimestamp(now, tz)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate.timestamp() <= now:
        candidate += timedelta(days=1)
    days = REPEAT_DAYS.get(repeat) if repeat else None
    while days is not None and candidate.weekday() not in days:
        candidate += timedelta(days=1)
    # Rebuild from the wall-clock fields so a daylight-saving change keeps "HH:MM" true.
    wall = datetime(candidate.year, candidate.month, candidate.day, hour, minute, tzinfo=tz)
    return wall.timestamp()
