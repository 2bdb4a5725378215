"""A device's property becomes a value, or crosses a threshold, optionally for a while:
{"kind": "state", "device": "front_door", "property": "lock", "to": "unlocked", "for_s": 600}
("현관문이 10분 넘게 열려 있으면"), or a measure passes a limit ("습도가 70% 넘으면")."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.domain import DeviceType, StateChanged
from jibsa.nlu.timing import parse_duration
from jibsa.rules.conditions import value_matches
from jibsa.rules.fields import Fields
from jibsa.rules.model import Rule, Trigger
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording

MAX_FOR_S = 7 * 24 * 3600
# What "열려 있으면", "켜지면" ... mean for a kind of device: (property, value); None: any kind.
_STATE_VALUES: dict[tuple[DeviceType | None, str], tuple[str, Any]] = {
    (DeviceType.DOOR_LOCK, "open"): ("lock", "unlocked"), (DeviceType.DOOR_LOCK, "closed"): ("lock", "locked"),
    (DeviceType.GAS_VALVE, "open"): ("valve", "open"), (DeviceType.GAS_VALVE, "closed"): ("valve", "closed"),
    (None, "on"): ("power", True), (None, "off"): ("power", False), (None, "motion"): ("motion", True),
}  # fmt: skip
_COVERS = (DeviceType.WINDOW, DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.GARAGE_DOOR)


@dataclass(frozen=True, slots=True)
class StateTrigger(Trigger):
    device: str
    property: str
    to: Any = None
    above: float | None = None
    below: float | None = None
    for_s: float = 0.0

    kind: ClassVar[str] = "state"
    quiet: ClassVar[Mapping[str, Any]] = {"for_s": 0.0}

    def devices(self) -> tuple[str, ...]:
        return (self.device,)


def _read(fields: Fields) -> StateTrigger:
    device = fields.device()
    prop = fields.property(device)
    to, above, below = fields.get("to"), fields.number("above"), fields.number("below")
    if to is None and above is None and below is None:
        raise fields.fail("a state trigger needs 'to', 'above' or 'below'")
    return StateTrigger(device.id, prop, to, above, below, fields.number("for_s", low=0, high=MAX_FOR_S) or 0.0)


# -- watching -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aim:
    """What a value trigger waits for: `device`'s `prop` to match (`to`, `above`, `below`) for `for_s`."""

    device: str
    prop: str
    to: Any = None
    above: float | None = None
    below: float | None = None
    for_s: float = 0.0


class ValueWatcher(Watcher):
    """Rules waiting for a device's value, indexed by device and then property: a state change touches only
    its own rules, and the change of a device no rule watches is not looked into at all. A trigger "for a
    while" waits on the clock and is dropped when the value stops matching."""

    hears = (StateChanged,)
    hears_without_rules = False

    def __init__(self, site: WatchSite, aim: Callable[[Trigger], Aim]) -> None:
        super().__init__(site)
        self._aim = aim
        self._aims: dict[str, Aim] = {}  # each watched rule's, worked out once
        self._index: dict[str, dict[str, list[str]]] = {}  # device -> property -> rule ids
        self._holding: dict[str, asyncio.Task[None]] = {}
        self._reading: list[asyncio.Future[float | None]] = []  # since when resumed counts have matched
        self.examined = 0  # (rule, change) pairs looked at: the work state changes cost the rules

    def watch(self, rule: Rule) -> None:
        super().watch(rule)
        aim = self._aims[rule.id] = self._aim(rule.when)
        self._index.setdefault(aim.device, {}).setdefault(aim.prop, []).append(rule.id)

    def forget(self, rule_id: str) -> None:
        super().forget(rule_id)
        aim = self._aims.pop(rule_id, None)
        if aim is not None:
            props = self._index[aim.device]
            props[aim.prop].remove(rule_id)
            if not props[aim.prop]:
                del props[aim.prop]
            if not props:
                del self._index[aim.device]
        held = self._holding.pop(rule_id, None)
        if held is not None:
            held.cancel()

    def event(self, event: object) -> None:
        if not isinstance(event, StateChanged):
            return
        watched = self._index.get(event.device_id)
        if watched is None:
            return
        old, new = event.old, event.new
        for prop, ids in tuple(watched.items()):
            if prop not in new or old.get(prop) == new[prop]:  # as `event.changed` says, without building it
                continue
            for rule_id in tuple(ids):
                self.examined += 1
                aim = self._aims[rule_id]
                was = value_matches(event.old.get(prop), aim.to, aim.above, aim.below)
                now = value_matches(event.new.get(prop), aim.to, aim.above, aim.below)
                if now and not was:
                    self._began(self.rules[rule_id], aim, event.new.get(prop))
                elif was and not now:
                    held = self._holding.pop(rule_id, None)
                    if held is not None:
                        held.cancel()
                    self.site.stopped_matching(self.rules[rule_id])

    def start(self) -> None:
        """A value that matched for less than its while when jibsa stopped goes on counting from when it
        began to match ("10분 넘게 열려 있으면": the door opened before the restart still alerts)."""
        for rule_id, aim in self._aims.items():
            if aim.for_s > 0 and value_matches(self.site.state(aim.device).get(aim.prop), aim.to, aim.above, aim.below):
                reading = asyncio.ensure_future(self.site.changed_at(aim.device, aim.prop))
                self._reading.append(reading)
                self._holding[rule_id] = asyncio.create_task(self._resume(self.rules[rule_id], aim, reading))

    async def resumed(self) -> None:
        """Every resumed count knows since when its value has matched (read from the kept history), so
        its deadline is set before the home is said to be open."""
        await asyncio.gather(*self._reading, return_exceptions=True)
        self._reading.clear()

    async def _resume(self, rule: Rule, aim: Aim, reading: asyncio.Future[float | None]) -> None:
        since = await reading
        now = self.site.clock.now()
        await self._hold(rule, self.site.state(aim.device).get(aim.prop), (since or now) + aim.for_s)

    async def stop(self) -> None:
        tasks = list(self._holding.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._holding.clear()

    def _began(self, rule: Rule, aim: Aim, value: Any) -> None:
        if aim.for_s <= 0:
            self.site.fire(rule, value)
        elif rule.id not in self._holding:
            deadline = self.site.clock.now() + aim.for_s
            self._holding[rule.id] = asyncio.create_task(self._hold(rule, value, deadline))

    async def _hold(self, rule: Rule, value: Any, deadline: float) -> None:
        await self.site.clock.sleep_until(deadline)
        self._holding.pop(rule.id, None)
        self.site.fire(rule, value)


def _aim(trigger: Trigger) -> Aim:
    assert isinstance(trigger, StateTrigger)
    return Aim(trigger.device, trigger.property, trigger.to, trigger.above, trigger.below, trigger.for_s)


def _watcher(site: WatchSite) -> Watcher:
    return ValueWatcher(site, _aim)


# -- hearing --------------------------------------------------------------------------------------


def hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    """A measure passing a limit ("습도가 70% 넘으면"), or a device's state ("창문이 열려 있으면"); the
    conditions of a rule sentence are heard the same way."""
    return _measured(part, hearing) or _device_state(part, hearing)


def _measured(part: str, hearing: Hearing) -> dict[str, Any] | None:
    for measure, pattern in hearing.words("measures").items():
        if not re.search(pattern, part):
            continue
        sensors = [d for d in hearing.home.devices if measure in d.measures]
        if not sensors:
            continue
        named = [d for d in hearing.named(part) if any(s.id == d for s in sensors)]
        rooms = hearing.rooms(part)
        in_room = [s.id for s in sensors if s.room in rooms]  # "아이방 온도가": the sensor in that room
        device = named[0] if named else in_room[0] if in_room else sensors[0].id
        for side in ("above", "below"):
            limit = re.search(hearing.words(side), part)
            if limit:
                return {"kind": "state", "device": device, "property": measure, side: float(limit.group(1))}
    return None


def _device_state(part: str, hearing: Hearing) -> dict[str, Any] | None:
    devices = hearing.devices(part)
    device = hearing.home.device(devices[0]) if devices else None
    if device is None:
        return None
    for state, pattern in hearing.words("states").items():
        if not re.search(pattern, part):
            continue
        trigger = _state_trigger(device.id, device.type, state)
        if trigger is not None:
            held = re.search(hearing.words("held"), part)
            if held:
                trigger["for_s"] = parse_duration(held.group(0)) or hearing.seconds(held)
            return trigger
    return None


def _state_trigger(device_id: str, kind: DeviceType, state: str) -> dict[str, Any] | None:
    if kind in _COVERS and state in ("open", "closed"):
        side = {"above": 0} if state == "open" else {"to": 0}
        return {"kind": "state", "device": device_id, "property": "position", **side}
    prop_value = _STATE_VALUES.get((kind, state)) or _STATE_VALUES.get((None, state))
    if prop_value is None:
        return None
    return {"kind": "state", "device": device_id, "property": prop_value[0], "to": prop_value[1]}


# -- words ----------------------------------------------------------------------------------------


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    fill = {**w.device(when.get("device")), **w.property(str(when.get("property", "")))}
    for side in ("above", "below"):
        if side in when:
            number, prop = f"{when[side]:g}", str(when.get("property"))
            limit = w.say("units", prop, n=number) if w.find("units", prop) else number  # "28도", as heard
            return w.say(side, limit=limit, **fill)
    if when["property"] == "motion":
        return w.say("motion", **fill)
    value = w.text("values").get(str(when.get("to")), str(when.get("to")))
    if when.get("for_s"):
        return w.say("held", value=value, minutes=round(when["for_s"] / 60), **fill)
    return w.say("state", value=value, **fill)


def _happened(trigger: StateTrigger, value: Any, w: Wording) -> str:
    fill = w.device(trigger.device)
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    prop = trigger.property
    if trigger.above is not None:
        return w.say("above", property=prop, value=shown, limit=f"{trigger.above:g}", **fill)
    if trigger.below is not None:
        return w.say("below", property=prop, value=shown, limit=f"{trigger.below:g}", **fill)
    held = (w.find("held_words") or {}).get(prop, {}) if trigger.for_s else {}
    if shown in held:
        return w.say("held_words", prop, shown, duration=_duration(trigger.for_s, w), **fill)
    words = w.text("state_words").get(prop, {})
    if shown in words:
        return w.say("state_words", prop, shown, **fill)
    return w.say("state_reached", property=prop, value=shown, **fill)


def _duration(seconds: float, w: Wording) -> str:
    """ "4시간", "10분", "1시간 30분" (a minute at the least)."""
    hours, minutes = divmod(max(round(seconds / 60), 1), 60)
    key = "both" if hours and minutes else "hours" if hours else "minutes"
    return w.say("duration", key, h=hours, m=minutes)


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return w.say("state", **w.device(None, device_name))


KIND = TriggerKind("state", _read, _watcher, hear, _read_back, _happened, _because, rank=1, hearing_rank=30)
