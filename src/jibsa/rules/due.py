"""When a clock or sun trigger is next due, and when it last was, in the home's time zone and city."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml
from astral import Observer
from astral.sun import sunrise, sunset

from jibsa.hub.schedule_time import next_occurrence
from jibsa.rules.model import Trigger, TriggerKind, weekday_allowed

DEFAULT_CITY = "서울"
_SEARCH_DAYS = 8  # a week of allowed days always holds one


@cache
def _cities() -> dict[str, tuple[float, float]]:
    """Each known city's point (`data/cities.yaml`, the table the weather skill uses too)."""
    text = resources.files("jibsa.data").joinpath("cities.yaml").read_text(encoding="utf-8")
    cities = yaml.safe_load(text)["cities"]
    return {name: (float(city["lat"]), float(city["lon"])) for name, city in cities.items()}


def city_observer(city: str) -> Observer:
    """Where the sun is watched from: the home's city, or Seoul when the city is not known."""
    latitude, longitude = _cities().get(city) or _cities()[DEFAULT_CITY]
    return Observer(latitude, longitude)


def sun_time(event: str, day: date, observer: Observer, tz: ZoneInfo) -> float:
    """Sunrise or sunset on `day` (local date), as epoch seconds."""
    moment = (sunrise if event == "sunrise" else sunset)(observer, date=day, tzinfo=tz)
    return moment.timestamp()


def occurrences(trigger: Trigger, start: float, tz: ZoneInfo, observer: Observer) -> list[float]:
    """The trigger's due times on the allowed days from the day before `start` for a week, in order."""
    first = datetime.fromtimestamp(start, tz).date() - timedelta(days=1)
    times: list[float] = []
    for offset in range(_SEARCH_DAYS + 1):
        day = first + timedelta(days=offset)
        if not weekday_allowed(trigger.days, day.weekday()):
            continue
        if trigger.kind is TriggerKind.SUN:
            times.append(sun_time(str(trigger.event), day, observer, tz) + trigger.offset_s)
        else:
            noon = datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() - 1
            times.append(next_occurrence(str(trigger.at), noon, tz))
    return sorted(times)


def next_due(trigger: Trigger, now: float, tz: ZoneInfo, observer: Observer) -> float:
    """The first due time strictly after `now`."""
    return next(t for t in occurrences(trigger, now, tz, observer) if t > now)


def last_due(trigger: Trigger, now: float, tz: ZoneInfo, observer: Observer) -> float | None:
    """The latest due time at or before `now` (within the last week)."""
    past = [t for t in occurrences(trigger, now - 7 * 86400, tz, observer) if t <= now]
    past += [t for t in occurrences(trigger, now, tz, observer) if t <= now]
    return max(past) if past else None
