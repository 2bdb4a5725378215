"""Rule sentences → an ``add_rule`` command: "세탁 끝나면 알려줘", "비 오면 창문 닫아줘".

A sentence is split at its condition endings (면, 때; when/if): the first part is the trigger (each
trigger kind listens for its own: `jibsa.rules.triggers`), the other parts before the last become
conditions, and what follows is the action, read by the ordinary parser. The words live in
rules/data/rule_phrases.yaml. Also "규칙 뭐 있어?" (list_rules) and "정원등 규칙 꺼줘/지워줘"
(disable_rule/remove_rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import Command, Home
from jibsa.nlu.condition import acts, asks_question, condition_parts
from jibsa.nlu.timing import parse_duration
from jibsa.rules.triggers import TriggerKinds, installed_kinds, state
from jibsa.rules.triggers.base import TriggerKind

ParseAction = Callable[[str, str | None], Sequence[Command]]  # (text, room it is said in)
FindDevices = Callable[[str], list[str]]


@cache
def rule_words() -> Mapping[str, Mapping[str, Any]]:
    """rules/data/rule_phrases.yaml: the words of rule sentences, by language (their read-back is the
    catalogue's `readback`)."""
    text = resources.files("jibsa.rules.data").joinpath("rule_phrases.yaml").read_text(encoding="utf-8")
    data: Mapping[str, Mapping[str, Any]] = yaml.safe_load(text)
    return data


class RuleReader:
    """Reads rule sentences for one home: `find_devices` finds devices by their names, `parse_action`
    reads a part as an ordinary request."""

    def __init__(
        self,
        home: Home,
        find_devices: FindDevices,
        parse_action: ParseAction,
        kinds: TriggerKinds | None = None,
        *,
        find_rooms: FindDevices | None = None,
        speaker: str | None = None,
    ) -> None:
        self.home = home
        self.speaker = speaker  # the person saying the sentences, when known
        self.kinds = kinds or installed_kinds()
        self._find = find_devices
        self._rooms = find_rooms or (lambda _: [])
        self._parse = parse_action

    def read(self, text: str, language: str) -> Command | None:
        """The rule command `text` says, or None when it is not a rule sentence."""
        w = rule_words()[language]
        managed = self._manage(text, w, language)
        if managed is not None:
            return managed
        asked = re.search(w["why"], text) and (
            self._find(text) or [t for c in self._parse(text, None) for t in c.targets]
        )
        if asked:
            return Command("why", (asked[0],))
        if asks_question(text, language):
            return None  # "현관문 열리면 소리 나?" asks; it does not ask for a rule
        parts = self._split(text, language, w)
        if parts is None:
            return None
        conditions_text, action_text = parts
        heard = self._trigger(conditions_text[0], language) if conditions_text else None
        if heard is None:
            return None
        kind, trigger = heard
        conditions = [c for part in conditions_text[1:] if (c := self._condition(part, language, w)) is not None]
        conditions += self._context_conditions(conditions_text[0], w)
        named = [str(trigger["device"])] if trigger.get("device") else []
        sensed = self.home.device(named[0]) if named and ("above" in trigger or "below" in trigger) else None
        room = sensed.room if sensed is not None else None  # "거실 온도가 28도 넘으면 에어컨 켜줘": that room's
        actions = self._actions(action_text, named + [d for part in conditions_text for d in self._find(part)], w, room)
        if not actions:
            return None
        tells_when_done = kind.told_once and all(a["kind"] == "notify" for a in actions)
        once = (tells_when_done or bool(re.search(w["once"], text))) and not re.search(w["standing"], text)
        rule = {"name": text.strip(), "when": trigger, "if": conditions, "do": actions, "once": once}
        return Command("add_rule", (), {"rule": rule})

    # -- the parts ------------------------------------------------------------------------------

    def _manage(self, text: str, w: Mapping[str, Any], language: str) -> Command | None:
        if re.search(w["list"], text):
            return Command("list_rules")
        if not any(word in text for word in w["manage_words"]):
            return None  # cheap first: the pattern's leading group costs time on long lines
        found = re.search(w["manage"], text)
        if found is None:
            return None
        # Korean names the rule before the verb ("취침 규칙 꺼줘"); English after it ("turn off the bedtime rule")
        subject, verb = (found.group(1), found.group(2)) if language != "en" else (found.group(2), found.group(1))
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
        return condition_parts(text)

    def _trigger(self, part: str, language: str) -> tuple[TriggerKind[Any], dict[str, Any]] | None:
        """The first trigger kind (in their hearing order) that hears itself in `part`, and what it heard."""
        for kind in self.kinds.by_hearing():
            heard = kind.hear(part, _Hearing(self, language, kind.own_words(language, "phrases")))
            if heard is not None:
                return kind, heard
        return None

    def appliances(self, part: str, w: Mapping[str, Any]) -> list[str]:
        """The home's first appliance of the kind a word of `part` names ("세탁" -> the washer)."""
        for word, kind in w["appliances"].items():
            if word in part:
                return [d.id for d in self.home.devices if d.type.value == kind][:1]
        return []

    def _kinds(self, commands: Sequence[Command]) -> set[str]:
        return {d.type.value for c in commands for t in c.targets if (d := self.home.device(t)) is not None}

    def _condition(self, part: str, language: str, w: Mapping[str, Any]) -> dict[str, Any] | None:
        if re.search(w["nobody"], part):
            return {"kind": "presence", "presence": "nobody_home"}
        if re.search(w["someone"], part):
            return {"kind": "presence", "presence": "someone_home"}
        heard = state.hear(part, _Hearing(self, language, {}))  # "창문이 열려 있을 때": as a state trigger is said
        if heard is None:
            return None
        heard.pop("for_s", None)
        return {"kind": "state", **{("is" if k == "to" else k): v for k, v in heard.items() if k != "kind"}}

    def _context_conditions(self, part: str, w: Mapping[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if re.search(w["night"], part):
            found.append({"kind": "time", "after": "22:00", "before": "06:00"})
        return found

    def _actions(
        self, text: str, named: Sequence[str], w: Mapping[str, Any], room: str | None = None
    ) -> list[dict[str, Any]]:
        """The actions said in `text` (read as if said in `room`); a command with no device of its own acts on
        the first `named`; only what acts (a state question is no action)."""
        actions: list[dict[str, Any]] = []
        delay = re.search(w["delay"], text)
        if delay:
            seconds = parse_duration(delay.group(0)) or _english_seconds(delay)
            actions.append({"kind": "delay", "seconds": seconds})
            text = text[: delay.start()] + text[delay.end() :]
        notify = re.search(w["notify"], text)
        if notify:
            to = re.search(w["notify_to"], text)
            person = to.group(1) if to and to.group(1).lower() not in w["notify_self"] else None
            actions.append({"kind": "notify", **({"to": [person]} if person else {})})
            text = text[: notify.start()]  # "다용도실 불 켜고 알려줘": what comes before the telling
            if not re.search(r"[\uac00-\ud7a3a-z]{2}", text):  # two letters, Hangul or Latin: something to do
                return actions
        commands = [
            c.without_timing() for c in self._parse(text, room) if acts(c) and (c.targets or c.intent == "run_scene")
        ]
        if not commands and not notify:  # "해 지면 불 켜줘": every light, as a rule has no room to ask about
            every = [c.without_timing() for c in self._parse(f"{w['every']} {text}", room) if acts(c) and c.targets]
            commands = every if len(self._kinds(every)) == 1 else []  # a kind was named, not "everything"
        if not commands and named and not notify:
            device = self.home.device(named[0])
            said_with = f"{device.name} {text}" if device else text
            commands = [c.without_timing() for c in self._parse(said_with, room) if c.targets and acts(c)]
        said = [
            {"kind": "scene", "scene": c.params["scene"]}
            if c.intent == "run_scene"
            else {"kind": "command", **c.to_dict()}
            for c in commands
        ]
        return [*actions, *said] if commands or notify else []


def _english_seconds(found: re.Match[str]) -> float:
    number = next(g for g in found.groups() if g and g[0].isdigit())
    unit = next((g for g in found.groups() if g and g[0].isalpha()), "minute")
    return float(number) * (3600 if unit.startswith("h") else 1 if unit.startswith("s") else 60)


class _Hearing:
    """What a trigger kind listens with (`jibsa.rules.triggers.base.Hearing`), for one sentence."""

    def __init__(self, reader: RuleReader, language: str, own: Mapping[str, Any]) -> None:
        self._reader = reader
        self._words = rule_words()[language]
        self._own = own
        self.home = reader.home
        self.language = language
        self.speaker = reader.speaker

    def words(self, key: str) -> Any:
        return self._own[key] if key in self._own else self._words[key]

    def named(self, part: str) -> list[str]:
        return self._reader._find(part)

    def rooms(self, part: str) -> list[str]:
        return self._reader._rooms(part)

    def devices(self, part: str) -> list[str]:
        return (
            self._reader._find(part)
            or self._reader.appliances(part, self._words)
            or [t for c in self._reader._parse(part, None) for t in c.targets]
        )

    def days(self, part: str) -> str:
        return next((days for days, pattern in self._words["days"].items() if re.search(pattern, part)), "daily")

    def seconds(self, found: re.Match[str]) -> float:
        return _english_seconds(found)
