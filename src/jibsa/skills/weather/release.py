"""When KMA and AirKorea publish: the newest base date and time each operation has released at a
given moment, so a cached answer is reused until the next release and never asked for early.

getUltraSrtNcst: observations on the hour, released at HH:40. getUltraSrtFcst: base HH:30,
released at HH:45. getVilageFcst: bases 02, 05, 08, 11, 14, 17, 20, 23 h, released 10 minutes
after. AirKorea's hourly measurements appear about 15 minutes after the hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

VILLAGE_HOURS = (2, 5, 8, 11, 14, 17, 20, 23)


class Operation(StrEnum):
    NOW = "getUltraSrtNcst"
    NEXT_HOURS = "getUltraSrtFcst"
    FORECAST = "getVilageFcst"
    AIR = "airkorea"


@dataclass(frozen=True, order=True)
class Release:
    """A base date and time as the APIs spell them: ("20261127", "1400")."""

    base_date: str
    base_time: str

    @property
    def moment(self) -> datetime:
        return datetime.strptime(self.base_date + self.base_time, "%Y%m%d%H%M")


def _release(moment: datetime) -> Release:
    return Release(moment.strftime("%Y%m%d"), moment.strftime("%H%M"))


def latest_release(operation: Operation, now: datetime) -> Release:
    """The newest release of `operation` available at `now` (Korean local time, naive or aware)."""
    now = now.replace(tzinfo=None, second=0, microsecond=0)
    if operation is Operation.NOW:
        return _release((now - timedelta(minutes=40)).replace(minute=0))
    if operation is Operation.NEXT_HOURS:
        return _release((now - timedelta(minutes=45)).replace(minute=30))
    if operation is Operation.AIR:
        return _release((now - timedelta(minutes=15)).replace(minute=0))
    ready = now - timedelta(minutes=10)
    hour = max((h for h in VILLAGE_HOURS if h <= ready.hour), default=None)
    if hour is None:
        return _release((ready - timedelta(days=1)).replace(hour=23, minute=0))
    return _release(ready.replace(hour=hour, minute=0))
