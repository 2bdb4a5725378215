"""Reading a rule's JSON form (docs/rules.md) into a `Rule`, checked against the home.

Every problem raises `RuleFormatError` with the field path (``do[1].targets``) and what is wrong,
so the rules file, the API and the conversation can say it in one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain.commands import DEVICE_INTENTS, Command, CommandFormatError, parse_clock
from jibsa.domain.home import Device, Home
from jibsa.domain.policy import Role
from jibsa.rules.model import (
    DAY_SETS,
    MAX_FOR_S,
    MISSED,
    PRESENCE_EVENTS,
    PRESENCE_STATES,
    SUN_EVENTS,
    WEATHER_KINDS,
    Action,
    ActionKind,
    Condition,
    ConditionKind,
    Rule,
    RuleFormatError,
    Trigger,
    TriggerKind,
)

_RULE_KEYS = {"name", "when", "if", "do", "once", "missed", "enabled", "id", "created_by", "role", "confirmed",
              "created"}  # fmt: skip


class _Reader:
    def __init__(self, home: Home, source: str) -> None:
        self.home = home
        self.source = source

    def fail(self, path: str, problem: str) -> RuleFormatError:
        return RuleFormatError(self.source, path, problem)

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected a mapping")
        return value

    def sequence(self, value: Any, path: str) -> Sequence[Any]:
        if value is None:
            return ()
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise self.fail(path, "expected a list")
        return value

    def choice(self, data: Mapping[str, Any], key: str, path: str, allowed: Sequence[str], default: str | None = None,
               ) -> str:
        value = data.get(key, default)
        if value not in allowed:
            raise self.fail(_at(path, key), f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def number(self, data: Mapping[str, Any], key: str, path: str, *, low: float | None = None,
               high: float | None = None) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(_at(path, key), f"expected a number, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(_at(path, key), f"{value} is outside {low:g}..{high:g}")
        return float(value)

    def clock(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        try:
            hour, minute = parse_clock(str(value)) if isinstance(value, str) else parse_clock("")
        except CommandFormatError:
            raise self.fail(_at(path, key), f"{value!r} is not a 24-hour time HH:MM") from None
        return f"{hour:02d}:{minute:02d}"

    def device(self, data: Mapping[str, Any], path: str) -> Device:
        device_id = data.get("device")
        device = self.home.device(str(device_id)) if isinstance(device_id, str) else None
        if device is None:
            raise self.fail(f"{path}.device", f"no device {device_id!r} in this home")
        return device

    def property(self, data: Mapping[str, Any], device: Device, path: str) -> str:
        prop = data.get("property")
        if not isinstance(prop, str) or device.property_spec(prop) is None:
            known = ", ".join(p.name for p in device.spec.properties) or "none"
            raise self.fail(f"{path}.property", f"{device.id} has no property {prop!r} (it has: {known})")
        return prop

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(_at(path, key), "expected text")
        return value.strip()


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def read_rule(data: Any, home: Home, source: str = "rule") -> Rule:
    """The `Rule` in `data` (its JSON form), checked against `home`."""
    reader = _Reader(home, source)
    top = reader.mapping(data, "")
    for key in top:
        if key not in _RULE_KEYS:
            raise reader.fail(str(key), "unknown field")
    name = reader.text(top, "name", "")
    if not name:
        raise reader.fail("name", "is required")
    when = _trigger(reader, reader.mapping(top.get("when"), "when"), "when")
    conditions = tuple(_condition(reader, reader.mapping(c, f"if[{i}]"), f"if[{i}]")
                       for i, c in enumerate(reader.sequence(top.get("if"), "if")))
    actions = tuple(_action(reader, reader.mapping(a, f"do[{i}]"), f"do[{i}]")
                    for i, a in enumerate(reader.sequence(top.get("do"), "do")))
    if not any(a.kind is not ActionKind.DELAY for a in actions):
        raise reader.fail("do", "a rule needs at least one action")
    for flag in ("once", "enabled", "confirmed"):
        if not isinstance(top.get(flag, True), bool):
            raise reader.fail(flag, "expected true or false")
    return Rule(
        name=name, when=when, if_=conditions, do=actions, once=bool(top.get("once", False)),
        missed=reader.choice(top, "missed", "", MISSED, "skip"), enabled=bool(top.get("enabled", True)),
        id=reader.text(top, "id", ""), created_by=reader.text(top, "created_by", ""),
        role=Role(reader.choice(top, "role", "", [r.value for r in Role], "owner")),
        confirmed=bool(top.get("confirmed", False)), created=reader.number(top, "created", "") or 0.0,
    )  # fmt: skip


def _trigger(reader: _Reader, data: Mapping[str, Any], path: str) -> Trigger:
    kind = TriggerKind(reader.choice(data, "kind", path, [k.value for k in TriggerKind]))
    if kind is TriggerKind.STATE:
        device = reader.device(data, path)
        prop = reader.property(data, device, path)
        to, above, below = data.get("to"), reader.number(data, "above", path), reader.number(data, "below", path)
        if to is None and above is None and below is None:
            raise reader.fail(path, "a state trigger needs 'to', 'above' or 'below'")
        for_s = reader.number(data, "for_s", path, low=0, high=MAX_FOR_S) or 0.0
        return Trigger(kind, device.id, prop, to, above, below, for_s)
    if kind is TriggerKind.FINISHED:
        device = reader.device(data, path)
        if device.property_spec("run_state") is None:
            raise reader.fail(f"{path}.device", f"{device.id} has no run_state: it never finishes")
        return Trigger(kind, device.id)
    if kind is TriggerKind.CLOCK:
        return Trigger(kind, at=reader.clock(data, "at", path), days=reader.choice(data, "days", path, list(DAY_SETS),
                                                                                      "daily"))
    if kind is TriggerKind.SUN:
        return Trigger(kind, event=reader.choice(data, "event", path, SUN_EVENTS),
                       offset_s=reader.number(data, "offset_s", path, low=-6 * 3600, high=6 * 3600) or 0.0,
                       days=reader.choice(data, "days", path, list(DAY_SETS), "daily"))
    if kind is TriggerKind.WEATHER:
        return Trigger(kind, weather=reader.choice(data, "weather", path, WEATHER_KINDS))
    person = reader.text(data, "person", path) or None
    return Trigger(kind, event=reader.choice(data, "event", path, PRESENCE_EVENTS), person=person)


def _condition(reader: _Reader, data: Mapping[str, Any], path: str) -> Condition:
    kind = ConditionKind(reader.choice(data, "kind", path, [k.value for k in ConditionKind]))
    if kind is ConditionKind.TIME:
        after = reader.clock(data, "after", path, required=False)
        before = reader.clock(data, "before", path, required=False)
        if after is None and before is None:
            raise reader.fail(path, "a time condition needs 'after' or 'before'")
        return Condition(kind, after=after, before=before)
    if kind is ConditionKind.WEEKDAY:
        return Condition(kind, days=reader.choice(data, "days", path, list(DAY_SETS)))
    if kind is ConditionKind.STATE:
        device = reader.device(data, path)
        prop = reader.property(data, device, path)
        is_, above, below = data.get("is"), reader.number(data, "above", path), reader.number(data, "below", path)
        if is_ is None and above is None and below is None:
            raise reader.fail(path, "a state condition needs 'is', 'above' or 'below'")
        return Condition(kind, device=device.id, property=prop, is_=is_, above=above, below=below)
    presence = reader.choice(data, "presence", path, PRESENCE_STATES)
    person = reader.text(data, "person", path) or None
    if presence in ("home", "away") and person is None:
        raise reader.fail(f"{path}.person", f"'{presence}' needs the person's name")
    return Condition(kind, presence=presence, person=person)


def _action(reader: _Reader, data: Mapping[str, Any], path: str) -> Action:
    kind = ActionKind(reader.choice(data, "kind", path, [k.value for k in ActionKind]))
    if kind is ActionKind.COMMAND:
        return Action(kind, command=_command(reader, data, path))
    if kind is ActionKind.SCENE:
        scene = reader.text(data, "scene", path)
        if reader.home.scene(scene) is None:
            raise reader.fail(f"{path}.scene", f"no scene {scene!r} in this home")
        return Action(kind, scene=scene)
    if kind is ActionKind.DELAY:
        seconds = reader.number(data, "seconds", path, low=0, high=24 * 3600)
        if seconds is None:
            raise reader.fail(f"{path}.seconds", "is required")
        return Action(kind, seconds=seconds)
    if kind is ActionKind.NOTIFY:
        people = reader.sequence(data.get("to"), f"{path}.to")
        if not all(isinstance(p, str) and p.strip() for p in people):
            raise reader.fail(f"{path}.to", "expected a list of names")
        return Action(kind, to=tuple(p.strip() for p in people), message=reader.text(data, "message", path))
    speaker = data.get("device")
    if speaker is not None:
        speaker = reader.device(data, path).id
    return Action(kind, message=reader.text(data, "message", path), device=speaker)


def _command(reader: _Reader, data: Mapping[str, Any], path: str) -> Command:
    try:
        command = Command.from_dict({k: v for k, v in data.items() if k != "kind"})
    except CommandFormatError as exc:
        raise reader.fail(path, str(exc)) from None
    if command.intent not in DEVICE_INTENTS:
        raise reader.fail(f"{path}.intent", f"{command.intent!r} is not a device command")
    if command.is_deferred:
        raise reader.fail(f"{path}.params", "timing belongs in a delay action, not in the command")
    if not command.targets:
        raise reader.fail(f"{path}.targets", "needs at least one device")
    for i, target in enumerate(command.targets):
        if reader.home.device(target) is None:
            raise reader.fail(f"{path}.targets[{i}]", f"no device {target!r} in this home")
    return command
