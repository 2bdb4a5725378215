"""A trigger kind jibsa does not have, as another package would write one: a device's battery runs
low. {"kind": "battery_low", "below": 20} ("배터리 부족하면 알려줘"). One module: its JSON fields, its
watcher, its phrases, its read-back and its words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.domain import StateChanged
from jibsa.rules.fields import Fields
from jibsa.rules.model import Trigger
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, Wording


@dataclass(frozen=True, slots=True)
class BatteryLow(Trigger):
    below: float = 15.0

    kind: ClassVar[str] = "battery_low"
    quiet: ClassVar[Mapping[str, Any]] = {"below": 15.0}


def _read(fields: Fields) -> BatteryLow:
    return BatteryLow(fields.number("below", low=1, high=100) or 15.0)


class BatteryWatcher(Watcher):
    def event(self, event: object) -> None:
        if not isinstance(event, StateChanged) or "battery" not in event.changed:
            return
        for rule in tuple(self.rules.values()):
            limit = rule.when.below if isinstance(rule.when, BatteryLow) else 0.0
            if event.new["battery"] < limit <= event.old.get("battery", 100):
                self.site.fire(rule, event.device_id)


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    return {"kind": "battery_low"} if re.search(hearing.words("battery_low"), part) else None


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return str(w.text("battery_low"))


def _happened(trigger: BatteryLow, device_id: Any, w: Wording) -> str:
    return w.say("battery_low", **w.device(str(device_id)))


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return str(w.text("battery_low"))


WORDS = {
    "ko": {"phrases": {"battery_low": r"배터리\s*(?:가\s*)?(?:부족|없|떨어지|닳)"},
           "read_back": {"battery_low": "배터리가 부족하면"},
           "happened": {"battery_low": "{device}의 배터리가 부족해요."},
           "because": {"battery_low": "배터리가 부족해서"}},
    "en": {"phrases": {"battery_low": r"battery (?:is |runs |gets )?low"},
           "read_back": {"battery_low": "when a battery runs low"},
           "happened": {"battery_low": "The {device}'s battery is low."},
           "because": {"battery_low": "A battery ran low"}},
}  # fmt: skip
KIND = TriggerKind(
    "battery_low", _read, BatteryWatcher, _hear, _read_back, _happened, _because, rank=7, hearing_rank=45, words=WORDS
)
