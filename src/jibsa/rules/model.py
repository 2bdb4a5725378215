"""Rules: when something happens (a trigger), if the home is so (conditions), do something (actions).

Pure values. The JSON form (`docs/rules.md`) is what `jibsa parse` prints inside an ``add_rule``
command, what the rules file holds and what the store keeps. `schema.read_rule` checks one against a
home and raises `RuleFormatError` naming the field and the problem. Each kind of trigger is a module
of `jibsa.rules.triggers` with its own `Trigger` subclass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any, ClassVar

from jibsa.domain.commands import Command
from jibsa.domain.errors import JibsaError
from jibsa.domain.home import Device, Home
from jibsa.domain.policy import Role, needs_confirmation, refusal_for_role


class ConditionKind(StrEnum):
    TIME = "time"  # between `after` and `before` (may wrap midnight)
    WEEKDAY = "weekday"  # on some days
    STATE = "state"  # a device's property is a value or beyond a threshold
    PRESENCE = "presence"  # someone home / nobody home / a person home


class ActionKind(StrEnum):
    COMMAND = "command"  # any device command
    SCENE = "scene"
    DELAY = "delay"
    NOTIFY = "notify"  # a stored notification (and Web Push) to people
    ANNOUNCE = "announce"  # spoken on a speaker


PRESENCE_STATES = ("someone_home", "nobody_home", "home", "away")
DAY_SETS = {"daily": (0, 1, 2, 3, 4, 5, 6), "weekdays": (0, 1, 2, 3, 4), "weekends": (5, 6)}
MISSED = ("fire", "skip")


class RuleFormatError(JibsaError):
    """A rule that breaks the format: names the source, the field path and the problem."""

    def __init__(self, source: str, path: str, problem: str) -> None:
        self.source, self.path, self.problem = source, path, problem
        super().__init__(f"{source}: {path}: {problem}" if path else f"{source}: {problem}")


@dataclass(frozen=True, slots=True)
class Trigger:
    """What sets a rule off. Each trigger kind (a module of `jibsa.rules.triggers`) is a subclass with
    its own fields; `kind` names it in the JSON form, and fields at their `quiet` values are left out."""

    kind: ClassVar[str] = ""
    quiet: ClassVar[Mapping[str, Any]] = {}

    def devices(self) -> tuple[str, ...]:
        """The devices the trigger watches."""
        return ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **_compact({f.name: getattr(self, f.name) for f in fields(self)}, self.quiet)}


@dataclass(frozen=True, slots=True)
class Condition:
    kind: ConditionKind
    after: str | None = None
    before: str | None = None
    days: str = "daily"
    device: str | None = None
    property: str | None = None
    is_: Any = None
    above: float | None = None
    below: float | None = None
    presence: str | None = None
    person: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind.value, **{k.rstrip("_"): getattr(self, k) for k in _CONDITION_FIELDS[self.kind]}}
        return _compact(out, {})


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    command: Command | None = None
    scene: str | None = None
    seconds: float = 0.0
    to: tuple[str, ...] = ()  # notify: people (empty: everyone)
    message: str = ""  # notify/announce: "" lets jibsa say what happened
    device: str | None = None  # announce: the speaker (None: every speaker)

    def to_dict(self) -> dict[str, Any]:
        if self.kind is ActionKind.COMMAND and self.command is not None:
            return {"kind": "command", **self.command.to_dict()}
        values = {
            "scene": self.scene,
            "seconds": self.seconds,
            "to": list(self.to),
            "message": self.message,
            "device": self.device,
        }
        return _compact({"kind": self.kind.value, **{k: values[k] for k in _ACTION_FIELDS[self.kind]}}, {})


@dataclass(frozen=True, slots=True)
class Rule:
    """One automation. `once` rules are removed after they fire; `missed` says what to do with a
    clock or sun trigger that fell due while jibsa was not running."""

    name: str
    when: Trigger
    if_: tuple[Condition, ...] = ()
    do: tuple[Action, ...] = ()
    once: bool = False
    missed: str = "skip"
    enabled: bool = True
    id: str = ""
    created_by: str = ""
    role: Role = Role.OWNER
    confirmed: bool = False  # an owner confirmed actions that need a second word (unlocking a door)
    created: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/rules.md)."""
        out: dict[str, Any] = {
            "name": self.name,
            "when": self.when.to_dict(),
            "if": [c.to_dict() for c in self.if_],
            "do": [a.to_dict() for a in self.do],
            "once": self.once,
            "missed": self.missed,
            "enabled": self.enabled,
        }
        if self.id:
            out["id"] = self.id
        if self.created_by:
            out.update(created_by=self.created_by, role=self.role.value, confirmed=self.confirmed, created=self.created)
        return out

    def devices(self) -> frozenset[str]:
        """Every device the rule names (in its trigger, conditions and actions)."""
        named = {*self.when.devices(), *(c.device for c in self.if_), *(a.device for a in self.do)}
        for action in self.do:
            if action.command is not None:
                named.update(action.command.targets)
        return frozenset(d for d in named if d)

    def with_status(self, *, enabled: bool) -> Rule:
        return replace(self, enabled=enabled)


_CONDITION_FIELDS = {
    ConditionKind.TIME: ("after", "before"),
    ConditionKind.WEEKDAY: ("days",),
    ConditionKind.STATE: ("device", "property", "is_", "above", "below"),
    ConditionKind.PRESENCE: ("presence", "person"),
}
_ACTION_FIELDS = {
    ActionKind.SCENE: ("scene",),
    ActionKind.DELAY: ("seconds",),
    ActionKind.NOTIFY: ("to", "message"),
    ActionKind.ANNOUNCE: ("message", "device"),
    ActionKind.COMMAND: (),
}


def _compact(values: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v not in ("", []) and defaults.get(k, ...) != v}


def sensitive_actions(rule: Rule, home: Home) -> list[tuple[Device, Command]]:
    """The (device, command) pairs of `rule` that a person could not do without a second word or
    that a guest may not do at all (unlocking a door, opening the gas valve): today's policy decides."""
    found: list[tuple[Device, Command]] = []
    for command in _commands(rule, home):
        for target in command.targets:
            device = home.device(target)
            if device is not None and (
                needs_confirmation(device, command) or refusal_for_role(Role.GUEST, device, command) is not None
            ):
                found.append((device, command))
    return found


def _commands(rule: Rule, home: Home) -> list[Command]:
    """The device commands `rule` sends, a scene's step by step (a scene that unlocks is an unlocking rule)."""
    commands: list[Command] = []
    for action in rule.do:
        if action.command is not None:
            commands.append(action.command)
        elif action.kind is ActionKind.SCENE and (scene := home.scene(action.scene or "")) is not None:
            commands += [Command(step.intent, step.targets, dict(step.params)) for step in scene.actions]
    return commands


def missing_devices(rule: Rule, home: Home) -> list[str]:
    """Devices the rule names that the home no longer has."""
    return sorted(d for d in rule.devices() if home.device(d) is None)


def weekday_allowed(days: str, weekday: int) -> bool:
    return weekday in DAY_SETS.get(days, DAY_SETS["daily"])
