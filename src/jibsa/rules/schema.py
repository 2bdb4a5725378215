"""Reading a rule's JSON form (docs/rules.md) into a `Rule`, checked against the home.

Every problem raises `RuleFormatError` with the field path (``do[1].targets``) and what is wrong,
so the rules file, the API and the conversation can say it in one line. The trigger is read by its
kind (`jibsa.rules.triggers`); conditions and actions by the readers below, one per kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jibsa.domain.commands import DEVICE_INTENTS, Command, CommandFormatError
from jibsa.domain.home import Home
from jibsa.domain.policy import Role
from jibsa.rules.fields import Fields
from jibsa.rules.model import (
    DAY_SETS,
    MISSED,
    PRESENCE_STATES,
    Action,
    ActionKind,
    Condition,
    ConditionKind,
    Rule,
    Trigger,
)
from jibsa.rules.triggers import TriggerKinds, installed_kinds

_RULE_KEYS = {"name", "when", "if", "do", "once", "missed", "enabled", "id", "created_by", "role", "confirmed",
              "created"}  # fmt: skip


def read_rule(data: Any, home: Home, source: str = "rule", kinds: TriggerKinds | None = None) -> Rule:
    """The `Rule` in `data` (its JSON form), checked against `home`; its trigger is one of `kinds`
    (the installed ones when not given)."""
    top = Fields.of(data, "", home, source)
    for key in top.data:
        if key not in _RULE_KEYS:
            raise top.fail("unknown field", str(key))
    name = top.text("name")
    if not name:
        raise top.fail("is required", "name")
    when = read_trigger(Fields.of(top.get("when"), "when", home, source), kinds or installed_kinds())
    conditions = tuple(_condition(Fields.of(c, f"if[{i}]", home, source)) for i, c in enumerate(top.sequence("if")))
    actions = tuple(_action(Fields.of(a, f"do[{i}]", home, source)) for i, a in enumerate(top.sequence("do")))
    if not any(a.kind is not ActionKind.DELAY for a in actions):
        raise top.fail("a rule needs at least one action", "do")
    for flag in ("once", "enabled", "confirmed"):
        if not isinstance(top.get(flag, True), bool):
            raise top.fail("expected true or false", flag)
    return Rule(
        name=name, when=when, if_=conditions, do=actions, once=bool(top.get("once", False)),
        missed=top.choice("missed", MISSED, "skip"), enabled=bool(top.get("enabled", True)),
        id=top.text("id"), created_by=top.text("created_by"),
        role=Role(top.choice("role", [r.value for r in Role], "owner")),
        confirmed=bool(top.get("confirmed", False)), created=top.number("created") or 0.0,
    )  # fmt: skip


def read_trigger(fields: Fields, kinds: TriggerKinds) -> Trigger:
    kind = kinds.get(fields.choice("kind", kinds.names()))
    assert kind is not None
    trigger: Trigger = kind.read(fields)
    return trigger


# -- conditions -------------------------------------------------------------------------------------


def _condition(fields: Fields) -> Condition:
    kind = ConditionKind(fields.choice("kind", [k.value for k in ConditionKind]))
    return _CONDITIONS[kind](fields)


def _time_condition(fields: Fields) -> Condition:
    after, before = fields.clock("after", required=False), fields.clock("before", required=False)
    if after is None and before is None:
        raise fields.fail("a time condition needs 'after' or 'before'")
    return Condition(ConditionKind.TIME, after=after, before=before)


def _weekday_condition(fields: Fields) -> Condition:
    return Condition(ConditionKind.WEEKDAY, days=fields.choice("days", list(DAY_SETS)))


def _state_condition(fields: Fields) -> Condition:
    device = fields.device()
    prop = fields.property(device)
    is_, above, below = fields.get("is"), fields.number("above"), fields.number("below")
    if is_ is None and above is None and below is None:
        raise fields.fail("a state condition needs 'is', 'above' or 'below'")
    return Condition(ConditionKind.STATE, device=device.id, property=prop, is_=is_, above=above, below=below)


def _presence_condition(fields: Fields) -> Condition:
    presence = fields.choice("presence", PRESENCE_STATES)
    person = fields.text("person") or None
    if presence in ("home", "away") and person is None:
        raise fields.fail(f"'{presence}' needs the person's name", "person")
    return Condition(ConditionKind.PRESENCE, presence=presence, person=person)


_CONDITIONS: dict[ConditionKind, Callable[[Fields], Condition]] = {
    ConditionKind.TIME: _time_condition, ConditionKind.WEEKDAY: _weekday_condition,
    ConditionKind.STATE: _state_condition, ConditionKind.PRESENCE: _presence_condition,
}  # fmt: skip


# -- actions ----------------------------------------------------------------------------------------


def _action(fields: Fields) -> Action:
    kind = ActionKind(fields.choice("kind", [k.value for k in ActionKind]))
    return _ACTIONS[kind](fields)


def _command_action(fields: Fields) -> Action:
    try:
        command = Command.from_dict({k: v for k, v in fields.data.items() if k != "kind"})
    except CommandFormatError as exc:
        raise fields.fail(str(exc)) from None
    if command.intent not in DEVICE_INTENTS:
        raise fields.fail(f"{command.intent!r} is not a device command", "intent")
    if command.is_deferred:
        raise fields.fail("timing belongs in a delay action, not in the command", "params")
    if not command.targets:
        raise fields.fail("needs at least one device", "targets")
    for i, target in enumerate(command.targets):
        if fields.home.device(target) is None:
            raise fields.fail(f"no device {target!r} in this home", f"targets[{i}]")
    return Action(ActionKind.COMMAND, command=command)


def _scene_action(fields: Fields) -> Action:
    scene = fields.text("scene")
    if fields.home.scene(scene) is None:
        raise fields.fail(f"no scene {scene!r} in this home", "scene")
    return Action(ActionKind.SCENE, scene=scene)


def _delay_action(fields: Fields) -> Action:
    seconds = fields.number("seconds", low=0, high=24 * 3600)
    if seconds is None:
        raise fields.fail("is required", "seconds")
    return Action(ActionKind.DELAY, seconds=seconds)


def _notify_action(fields: Fields) -> Action:
    people = fields.sequence("to")
    if not all(isinstance(p, str) and p.strip() for p in people):
        raise fields.fail("expected a list of names", "to")
    return Action(ActionKind.NOTIFY, to=tuple(p.strip() for p in people), message=fields.text("message"))


def _announce_action(fields: Fields) -> Action:
    speaker = fields.device().id if fields.get("device") is not None else None
    return Action(ActionKind.ANNOUNCE, message=fields.text("message"), device=speaker)


_ACTIONS: dict[ActionKind, Callable[[Fields], Action]] = {
    ActionKind.COMMAND: _command_action, ActionKind.SCENE: _scene_action, ActionKind.DELAY: _delay_action,
    ActionKind.NOTIFY: _notify_action, ActionKind.ANNOUNCE: _announce_action,
}  # fmt: skip
