"""Sunrise or sunset, with an offset, computed locally with astral for the home's city (Seoul when the
city is not known): {"kind": "sun", "event": "sunset", "offset_s": -600} ("해 지기 10분 전에")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import yaml
from astral import Observer
from astral.sun import sunrise, sunset

from jibsa.domain.home import DEFAULT_CITY
from jibsa.domain.korean import duration_text
from jibsa.nlu.timing import parse_duration
from jibsa.rules.fields import Fields
from jibsa.rules.model import DAY_SETS, Trigger, weekday_allowed
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording
from jibsa.rules.triggers.timed import TimedWatcher
from jibsa.words import english, word

SUN_EVENTS = ("sunrise", "sunset")


@dataclass(frozen=True, slots=True)
class SunTrigger(Trigger):
    event: str
    offset_s: float = 0.0
    days: str = "daily"

    kind: ClassVar[str] = "sun"
    quiet: ClassVar[Mapping[str, Any]] = {"offset_s": 0.0}


def _read(fields: Fields) -> SunTrigger:
    return SunTrigger(
        fields.choice("event", SUN_EVENTS),
        fields.number("offset_s", low=-6 * 3600, high=6 * 3600) or 0.0,
        fields.choice("days", list(DAY_SETS), "daily"),
    )


@cache
def _cities() -> dict[str, tuple[float, float]]:
    """Each known city's point (`data/cities.yaml`, the table the weather skill uses too)."""
    text = resources.files("jibsa.data").joinpath("cities.yaml").read_text(encoding="utf-8")
    cities = yaml.safe_load(text)["cities"]
    return {name: (float(city["lat"]), float(city["lon"])) for name, city in cities.items()}


@cache
def city_observer(city: str) -> Observer:
    """Where the sun is watched from: the home's city, or Seoul when the city is not known."""
    latitude, longitude = _cities().get(city) or _cities()[DEFAULT_CITY]
    return Observer(latitude, longitude)


def _due_on(trigger: Trigger, day: date, site: WatchSite) -> float | None:
    assert isinstance(trigger, SunTrigger)
    if not weekday_allowed(trigger.days, day.weekday()):
        return None
    moment = (sunrise if trigger.event == "sunrise" else sunset)(
        city_observer(site.city), date=day, tzinfo=site.timezone
    )
    return moment.timestamp() + trigger.offset_s


def _watcher(site: WatchSite) -> Watcher:
    return TimedWatcher(site, _due_on)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    for event, pattern in hearing.words("sun").items():
        if re.search(pattern, part):
            return {"kind": "sun", "event": event, "offset_s": _offset(part, hearing), "days": hearing.days(part)}
    return None


def _offset(part: str, hearing: Hearing) -> float:
    found = re.search(hearing.words("sun_offset"), part)
    if not found:
        return 0.0
    seconds = float(parse_duration(found.group(1)) or 0) if not found.group(1).isdigit() else float(found.group(1)) * 60
    return -seconds if found.group(2) in ("전", "before") else seconds


def _said(when: Mapping[str, Any], w: Wording, table: Any) -> str:
    """ "해가 지면", or with its offset "해 지기 30분 전에" (in `table`, the read-back or the because words)."""
    event, offset = str(when.get("event")), float(when.get("offset_s") or 0)
    if not offset:
        return str(table.get(event, ""))
    side = w.find("sun_before" if offset < 0 else "sun_after") or {}
    amount = duration_text(abs(offset)) if w.ko else english.duration_text(abs(offset))
    return word(str(side.get(event, "")), {"offset": amount}, "ko" if w.ko else "en")  # "30초가 지나서"


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return _said(when, w, w.text("sun"))


def _happened(trigger: SunTrigger, value: Any, w: Wording) -> str:
    return str(w.text("sun", trigger.event))


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return _said(when, w, w.text("sun"))


KIND = TriggerKind(
    "sun", _read, _watcher, _hear, _read_back, _happened, _because, rank=4, hearing_rank=10, looks_back=True
)
