"""Someone arrives or leaves, or everyone has left: {"kind": "presence", "event": "arrive", "person": "엄마"}
("엄마 오면 현관 불 켜줘", "아무도 없으면 보일러 꺼줘"). Who is home is set from the dashboard or a phone
(`jibsa.rules.presence`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.rules.fields import Fields
from jibsa.rules.model import Trigger
from jibsa.rules.presence import PresenceChanged
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, Wording

PRESENCE_EVENTS = ("arrive", "leave", "nobody_home")


@dataclass(frozen=True, slots=True)
class PresenceTrigger(Trigger):
    event: str
    person: str | None = None  # None: anyone

    kind: ClassVar[str] = "presence"


def _read(fields: Fields) -> PresenceTrigger:
    person = fields.text("person") or None
    return PresenceTrigger(fields.choice("event", PRESENCE_EVENTS), person)


class PresenceWatcher(Watcher):
    hears = (PresenceChanged,)
    hears_without_rules = False

    def event(self, event: object) -> None:
        if not isinstance(event, PresenceChanged):
            return
        for rule in tuple(self.rules.values()):
            trigger = rule.when
            assert isinstance(trigger, PresenceTrigger)
            if trigger.event == "nobody_home":
                if not event.anyone_home and not event.home:
                    self.site.fire(rule, event.person)
            elif (trigger.event == "arrive") == event.home and trigger.person in (None, event.person):
                self.site.fire(rule, event.person)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    if re.search(hearing.words("nobody"), part):
        return {"kind": "presence", "event": "nobody_home"}
    for event in ("leave", "arrive"):
        found = re.search(hearing.words(event), part)
        if found:
            person = found.group(1)
            if person and person.lower() in hearing.words("speaker"):
                person = hearing.speaker  # "내가 오면": the one saying it; anyone when that is not known
            elif person and person.lower() in hearing.words("people_not"):
                person = None
            return {"kind": "presence", "event": event, **({"person": person} if person else {})}
    return None


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return w.say("presence", when["event"], person=when.get("person") or w.text("someone"))


def _happened(trigger: PresenceTrigger, value: Any, w: Wording) -> str:
    event = trigger.event or "arrive"
    key = event if trigger.person or event == "nobody_home" else f"anyone_{event}"
    return w.say("presence", key, person=trigger.person or "")


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return str(w.text("presence").get(when.get("event"), ""))


KIND = TriggerKind("presence", _read, PresenceWatcher, _hear, _read_back, _happened, _because, rank=6, hearing_rank=50)
