"""Rule sentences → an ``add_rule`` command: "세탁 끝나면 알려줘", "비 오면 창문 닫아줘".

A sentence is split at its condition endings (면, 때; when/if): the first part is the trigger, the
other parts before the last become conditions, and what follows is the action, read by the
ordinary parser. The words live in data/rule_phrases.yaml. Also "규칙 뭐 있어?" (list_rules) and
"정원등 규칙 꺼줘/지워줘" (disable_rule/remove_rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import Command, DeviceType, Home
from jibsa.nlu.timing import find_timing, parse_duration

ParseAction = Callable[[str], Sequence[Command]]
FindDevices = Callable[[str], list[str]]
_STATE_VALUES: dict[tuple[DeviceType | None, str], tuple[str, Any]] = {
    (DeviceType.DOOR_LOCK, "open"): ("lock", "unlocked"), (DeviceType.DOOR_LOCK, "closed"): ("lock", "locked"),
    (DeviceType.GAS_VALVE, "open"): ("valve", "open"), (DeviceType.GAS_VALVE, "closed"): ("valve", "closed"),
    (None, "on"): ("power", True), (None, "off"): ("power", False), (None, "motion"): ("motion", True),
}  # fmt: skip
_COVERS = (DeviceType.WINDOW, DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.GARAGE_DOOR)


@cache
def rule_words() -> Mapping[str, Mapping[str, Any]]:
    """rules/data/rule_phrases.yaml: the words of rule sentences and their read-back, by language."""
    text = resources.files("jibsa.rules.data").joinpath("rule_phrases.yaml").read_text(encoding="utf-8")
    data: Mapping[str, Mapping[str, Any]] = yaml.safe_load(text)
    return data


class RuleReader:
    def __init__(self, home: Home, find_devices: FindDevices, parse_action: ParseAction) -> None:
        self.home = home
        self._find = find_devices
        self._parse = parse_action

    def read(self, text: str, language: str) -> Command | None:
        """The rule command `text` says, or None when it is not a rule sentence."""
        w = rule_words()[language]
        managed = self._manage(text, w)
        if managed is not None:
            return managed
        asked = re.search(w["why"], text) and (self._find(text) or [t for c in self._parse(text) for t in c.targets])
        if asked:
            return Command("why", (asked[0],))
        parts = self._split(text, language, w)
        if parts is None:
            return None
        conditions_text, action_text = parts
        trigger = self._trigger(conditions_text[0], w) if conditions_text else None
        if trigger is None:
            return None
        conditions = [c for part in conditions_text[1:] if (c := self._condition(part, w)) is not None]
        conditions += self._context_conditions(conditions_text[0], w)
        named = [str(trigger["device"])] if trigger.get("device") else []
        actions = self._actions(action_text, named + [d for part in conditions_text for d in self._find(part)], w)
        if not actions:
            return None
        tells_when_done = trigger["kind"] == "finished" and all(a["kind"] == "notify" for a in actions)
        once = (tells_when_done or bool(re.search(w["once"], text))) and not re.search(w["standing"], text)
        rule = {"name": text.strip(), "when": trigger, "if": conditions, "do": actions, "once": once}
        return Command("add_rule", (), {"rule": rule})

    # -- the parts ------------------------------------------------------------------------------

    def _manage(self, text: str, w: Mapping[str, Any]) -> Command | None:
        if re.search(w["list"], text):
            return Command("list_rules")
        if not any(word in text for word in w["manage_words"]):
            return None  # cheap first: the pattern's leading group costs time on long lines
        found = re.search(w["manage"], text)
        if found is None:
            return None
        subject, verb = (found.group(1), found.group(2)) if "규칙" in w["manage"] else (found.group(2), found.group(1))
        intent = w["manage_intents"].get(re.sub(r"\s+", " ", verb))
        devices = self._find(subject)
        params = {"device": devices[0]} if devices else {"name": subject.strip()}
        return Command(intent, (), params) if intent else None

    def _split(self, text: str, language: str, w: Mapping[str, Any]) -> tuple[list[str], str] | None:
        if language == "en":
            lead = re.match(w["lead"], text.strip(" .!?"))
            if lead:
                return [lead.group(1)], lead.group(2)
            trail = re.match(w["trail"], text.strip(" .!?"))
            return ([trail.group(2)], trail.group(1)) if trail else None
        pieces = re.split(w["split"], text)
        if len(pieces) < 2:
            return None
        return [p.strip(" ,") for p in pieces[:-1]], pieces[-1].strip(" ,")

    def _trigger(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        for event, pattern in w["sun"].items():
            if re.search(pattern, part):
                return {"kind": "sun", "event": event, "offset_s": _offset(part, w), "days": _days(part, w)}
        for kind, pattern in w["weather"].items():
            if re.search(pattern, part) and not self._measured(part, w):
                return {"kind": "weather", "weather": kind}
        if re.search(w["nobody"], part):
            return {"kind": "presence", "event": "nobody_home"}
        return self._device_trigger(part, w) or self._presence(part, w) or self._clock(part, w)

    def _device_trigger(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        measured = self._measured(part, w)
        if measured is not None:
            return measured
        devices = self._find(part) or self._appliances(part, w) or [t for c in self._parse(part) for t in c.targets]
        if not devices:
            return None
        device = self.home.device(devices[0])
        assert device is not None
        if re.search(w["finished"], part) and device.property_spec("run_state") is not None:
            return {"kind": "finished", "device": device.id}
        for state, pattern in w["states"].items():
            if re.search(pattern, part):
                trigger = _state_trigger(device.id, device.type, state)
                if trigger is not None:
                    held = re.search(w["held"], part)
                    if held:
                        trigger["for_s"] = parse_duration(held.group(0)) or _english_seconds(held)
                    return trigger
        return None

    def _measured(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        for measure, pattern in w["measures"].items():
            if not re.search(pattern, part):
                continue
            sensors = [d for d in self.home.devices if measure in d.measures]
            named = [d for d in self._find(part) if any(s.id == d for s in sensors)]
            if not sensors:
                continue
            device = named[0] if named else sensors[0].id
            for side in ("above", "below"):
                limit = re.search(w[side], part)
                if limit:
                    return {"kind": "state", "device": device, "property": measure, side: float(limit.group(1))}
        return None

    def _appliances(self, part: str, w: Mapping[str, Any]) -> list[str]:
        for word, kind in w["appliances"].items():
            if word in part:
                return [d.id for d in self.home.devices if d.type.value == kind][:1]
        return []

    def _presence(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        for event in ("leave", "arrive"):
            found = re.search(w[event], part)
            if found:
                person = found.group(1)
                person = person if person and person.lower() not in w["people_not"] else None
                return {"kind": "presence", "event": event, **({"person": person} if person else {})}
        return None

    def _clock(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        timing = find_timing(part)
        if "at" not in timing.params:
            return None
        return {"kind": "clock", "at": timing.params["at"], "days": _days(part, w)}

    def _condition(self, part: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        if re.search(w["nobody"], part):
            return {"kind": "presence", "presence": "nobody_home"}
        if re.search(w["someone"], part):
            return {"kind": "presence", "presence": "someone_home"}
        trigger = self._device_trigger(part, w)
        if trigger is None or trigger["kind"] != "state":
            return None
        trigger.pop("for_s", None)
        return {"kind": "state", **{("is" if k == "to" else k): v for k, v in trigger.items() if k != "kind"}}

    def _context_conditions(self, part: str, w: Mapping[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if re.search(w["night"], part):
            found.append({"kind": "time", "after": "22:00", "before": "06:00"})
        return found

    def _actions(self, text: str, named: Sequence[str], w: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The actions said in `text`; a command with no device of its own acts on the first `named`."""
        actions: list[dict[str, Any]] = []
        delay = re.search(w["delay"], text)
        if delay:
            seconds = parse_duration(delay.group(0)) or _english_seconds(delay)
            actions.append({"kind": "delay", "seconds": seconds})
            text = text[: delay.start()] + text[delay.end():]
        if re.search(w["notify"], text):
            to = re.search(w["notify_to"], text)
            person = to.group(1) if to and to.group(1).lower() not in ("me", "us", "나", "저") else None
            return [*actions, {"kind": "notify", **({"to": [person]} if person else {})}]
        commands = [c.without_timing() for c in self._parse(text) if c.targets or c.intent == "run_scene"]
        if not commands and named:
            device = self.home.device(named[0])
            said_with = f"{device.name} {text}" if device else text
            commands = [c.without_timing() for c in self._parse(said_with) if c.targets]
        said = [{"kind": "scene", "scene": c.params["scene"]} if c.intent == "run_scene"
                else {"kind": "command", **c.to_dict()} for c in commands]
        return [*actions, *said] if commands else []


def _state_trigger(device_id: str, kind: DeviceType, state: str) -> dict[str, Any] | None:
    if kind in _COVERS and state in ("open", "closed"):
        side = {"above": 0} if state == "open" else {"to": 0}
        return {"kind": "state", "device": device_id, "property": "position", **side}
    prop_value = _STATE_VALUES.get((kind, state)) or _STATE_VALUES.get((None, state))
    if prop_value is None:
        return None
    return {"kind": "state", "device": device_id, "property": prop_value[0], "to": prop_value[1]}


def _offset(part: str, w: Mapping[str, Any]) -> float:
    found = re.search(w["sun_offset"], part)
    if not found:
        return 0.0
    minutes = float(found.group(1)) * 60
    return -minutes if found.group(2) in ("전", "before") else minutes


def _days(part: str, w: Mapping[str, Any]) -> str:
    return next((days for days, pattern in w["days"].items() if re.search(pattern, part)), "daily")


def _english_seconds(found: re.Match[str]) -> float:
    number = next(g for g in found.groups() if g and g[0].isdigit())
    unit = next((g for g in found.groups() if g and g[0].isalpha()), "minute")
    return float(number) * (3600 if unit.startswith("h") else 1 if unit.startswith("s") else 60)
