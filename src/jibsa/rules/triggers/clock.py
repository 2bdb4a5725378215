"""A time of day, every day or on weekdays or weekends: {"kind": "clock", "at": "07:00", "days": "weekdays"}
("평일 아침 7시에 거실 불 켜줘")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from jibsa.hub.schedule_time import next_occurrence
from jibsa.nlu.timing import find_timing
from jibsa.rules.fields import Fields
from jibsa.rules.model import DAY_SETS, Trigger, weekday_allowed
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording
from jibsa.rules.triggers.timed import TimedWatcher


@dataclass(frozen=True, slots=True)
class ClockTrigger(Trigger):
    at: str
    days: str = "daily"

    kind: ClassVar[str] = "clock"


def _read(fields: Fields) -> ClockTrigger:
    at = fields.clock("at")
    assert at is not None
    return ClockTrigger(at, fields.choice("days", list(DAY_SETS), "daily"))


def _due_on(trigger: Trigger, day: date, site: WatchSite) -> float | None:
    assert isinstance(trigger, ClockTrigger)
    if not weekday_allowed(trigger.days, day.weekday()):
        return None
    midnight = datetime(day.year, day.month, day.day, tzinfo=site.timezone).timestamp() - 1
    return next_occurrence(trigger.at, midnight, site.timezone)


def _watcher(site: WatchSite) -> Watcher:
    return TimedWatcher(site, _due_on)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    timing = find_timing(part)
    if "at" not in timing.params:
        return None
    return {"kind": "clock", "at": timing.params["at"], "days": hearing.days(part)}


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return w.say("clock", at=w.clock(when["at"]), days=w.find("days", when.get("days", "daily")) or "")


def _happened(trigger: ClockTrigger, value: Any, w: Wording) -> str:
    return w.say("clock", at=trigger.at)


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return w.say("clock", at=w.clock(when["at"]) if when.get("at") else "")


KIND = TriggerKind(
    "clock", _read, _watcher, _hear, _read_back, _happened, _because, rank=3, hearing_rank=60, looks_back=True
)
