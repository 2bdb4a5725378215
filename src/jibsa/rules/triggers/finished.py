"""An appliance finishes: its run_state becomes "finished" (a robot vacuum: it stops cleaning, "returning"
or "docked"): {"kind": "finished", "device": "washer"} ("세탁 끝나면 알려줘")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.rules.fields import Fields
from jibsa.rules.model import Trigger
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording
from jibsa.rules.triggers.state import Aim, ValueWatcher

# What "finished" is, per kind of appliance: a washer's cycle ends in "finished"; a robot vacuum's cleaning
# ends when it heads back ("returning") or, straight from cleaning, is "docked". A change between two of
# these (returning -> docked) is not a second finish.
FINISHED_STATES = frozenset({"finished", "returning", "docked"})


@dataclass(frozen=True, slots=True)
class FinishedTrigger(Trigger):
    device: str

    kind: ClassVar[str] = "finished"

    def devices(self) -> tuple[str, ...]:
        return (self.device,)


def _read(fields: Fields) -> FinishedTrigger:
    device = fields.device()
    if device.property_spec("run_state") is None:
        raise fields.fail(f"{device.id} has no run_state: it never finishes", "device")
    return FinishedTrigger(device.id)


def _aim(trigger: Trigger) -> Aim:
    assert isinstance(trigger, FinishedTrigger)
    return Aim(trigger.device, "run_state", FINISHED_STATES)


def _watcher(site: WatchSite) -> Watcher:
    return ValueWatcher(site, _aim)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    if not re.search(hearing.words("finished"), part):
        return None
    devices = hearing.devices(part)
    device = hearing.home.device(devices[0]) if devices else None
    if device is None or device.property_spec("run_state") is None:
        return None
    return {"kind": "finished", "device": device.id}


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return w.say("finished", **w.device(when.get("device")))


def _happened(trigger: FinishedTrigger, value: Any, w: Wording) -> str:
    return w.say("finished", **w.device(trigger.device))


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return w.say("finished", **w.device(None, device_name))


KIND = TriggerKind(
    "finished", _read, _watcher, _hear, _read_back, _happened, _because, rank=2, hearing_rank=20, told_once=True
)
