"""The report after acting, as facts (`Said`s of the catalogue's `reply.*`): what changed, what was only sent,
what failed and why, and answers to questions about state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain import Command, Delivery, Device, DeviceType, Home, TargetResult
from jibsa.domain.asked_state import ASKED_STATES, in_state
from jibsa.domain.said import Said
from jibsa.nlu import naming

# The intents with a sentence of their own after acting (reply.done.*); any other says reply.done.ok.
DONE = frozenset({"turn_on", "turn_off", "open", "close", "lock", "unlock", "start", "stop", "pause", "dock", "set",
                  "adjust", "run_scene"})  # fmt: skip
_CYCLES = frozenset({DeviceType.WASHER, DeviceType.DRYER, DeviceType.DISHWASHER})  # reply.cycles.*: "세탁이 끝났어요"
_SENSOR_ORDER = ("temperature", "current_temperature", "humidity", "current_humidity", "pm25", "co2",
                 "air_quality", "battery")  # fmt: skip


def describe(home: Home, commands: Sequence[Command], per_command: Sequence[Sequence[TargetResult]]) -> list[Said]:
    """What happened to each command, from its results."""
    parts: list[Said] = []
    for command, results in zip(commands, per_command, strict=False):
        parts.extend(_describe_command(home, command, results))
    return parts or [Said("reply.done_nothing")]


def _describe_command(home: Home, command: Command, results: Sequence[TargetResult]) -> list[Said]:
    ok = [r for r in results if r.ok and r.delivery is not Delivery.SENT]
    sent = [r for r in results if r.ok and r.delivery is Delivery.SENT]
    failed = [r for r in results if not r.ok]
    parts: list[Said] = []
    if command.intent == "query_state" and command.params.get("state") in ASKED_STATES:
        parts.append(_which_are(home, ok, str(command.params["state"])))
    elif command.intent == "query_state":
        parts += [_answer(home, r, command.params.get("property")) for r in ok]
    elif ok:
        parts += _done(home, command, ok)
    if sent:
        ids = [r.target for r in sent]
        shown = naming.named(home, ids) if len(ids) <= naming.MAX_NAMED else naming.counted_devices(len(ids))
        parts.append(Said("reply.sent", {"targets": shown}))  # no state to tell: never "done", only "sent"
    return parts + _failures(home, failed)


def _done(home: Home, command: Command, ok: Sequence[TargetResult]) -> list[Said]:
    prop = str(command.params.get("property", ""))
    applied = _applied(ok, prop, command.params.get("value"))
    fields = {
        "targets": naming.targets(home, [r.target for r in ok]),
        "prop": naming.prop(prop),
        "value": naming.value(prop, applied),
        "scene": naming.scene(home, str(command.params.get("scene", ""))),
    }
    unchanged = all(r.state is not None and not r.changes for r in ok)  # the devices said so themselves
    if command.intent == "adjust" and command.params.get("direction") == "down" and _all_off(ok):
        return [Said("reply.left_off", fields)]  # "거실 불 어둡게" with the lights off: nothing to lower
    if command.intent in ("set", "adjust") and unchanged and applied is not None:
        return [Said("reply.already", fields)]  # nothing changed: never "맞췄어요"
    key = naming.verb_key(home, command.intent, [r.target for r in ok]) if command.intent in DONE else "ok"
    if key in _ALREADY_IS and unchanged:  # "이미 꺼져 있어요", not "껐어요": nothing was done
        return [Said(f"reply.already_is.{key}", fields)]
    said = [Said(f"reply.done.{key}", fields)]
    return said + _clamp_note(command, applied, prop, ok)


def _all_off(ok: Sequence[TargetResult]) -> bool:
    return bool(ok) and all(r.state is not None and r.state.get("power") is False and not r.changes for r in ok)


# The intents whose end is a state the devices may be in already ("거실 불 꺼줘" with the lights off).
_ALREADY_IS = frozenset({"turn_on", "turn_off", "open", "close", "close_valve", "lock", "unlock"})


def _applied(ok: Sequence[TargetResult], prop: str, asked: Any) -> Any:
    """The value the devices have now: what changed, else the state they report, else what was asked."""
    changed = next((r.changes[prop] for r in ok if r.changes.get(prop) is not None), None)
    if changed is not None:
        return changed
    reported = next((r.state[prop] for r in ok if r.state and r.state.get(prop) is not None), None)
    return reported if reported is not None else asked


def _clamp_note(command: Command, applied: Any, prop: str, ok: Sequence[TargetResult]) -> list[Said]:
    """ "(최고 온도가 30도예요)" when the devices took less than was asked (or the results' own notes)."""
    asked = command.params.get("value")
    notes = [n for r in ok for n in r.notes]
    if not isinstance(applied, (int, float)) or not isinstance(asked, (int, float)) or applied == asked:
        return [Said("reply.notes", {"notes": "; ".join(notes)})] if notes else []
    key = "reply.clamp" if asked > applied else "reply.clamp_low"
    return [Said(key, {"prop": naming.prop(prop), "value": naming.value(prop, applied)})]


def _failures(home: Home, failed: Sequence[TargetResult]) -> list[Said]:
    """Why each failed, said once for the devices that failed alike: in the adapter's own words when it gave
    them (the result's `said`), else by the failure's code."""
    alike: dict[str, tuple[Said | None, str, list[str]]] = {}
    for result in failed:
        code = result.error.value if result.error is not None else "device_error"
        why = str(result.said.to_json()) if result.said is not None else code
        alike.setdefault(why, (result.said, code, []))[2].append(result.target)
    return [
        said if said is not None else Said(f"reply.failed.{code}", {"targets": naming.targets(home, targets)})
        for said, code, targets in alike.values()
    ]


def _which_are(home: Home, ok: Sequence[TargetResult], asked: str) -> Said:
    """ "안방 조명과 보일러가 켜져 있어요.": the devices asked about that are in the state asked, each by name."""
    ids = [r.target for r in ok if in_state(r.state or {}, asked)]
    if not ids:
        return Said(f"reply.answer.none_in_state.{asked}")
    shown = naming.named(home, ids) if len(ids) <= _NAMED_IN_STATE else naming.targets(home, ids)
    return Said(f"reply.answer.in_state.{asked}", {"targets": shown})


# A question of which devices are on names up to this many (what is left on before going out), then counts.
_NAMED_IN_STATE = 8


def _answer(home: Home, result: TargetResult, prop: Any) -> Said:
    device = home.device(result.target)
    state = dict(result.state or {})
    if device is None:
        return Said("reply.answer.unknown", {"device": result.target, "state": str(state)})
    if not state:
        return Said("reply.answer.no_reading", {"device": naming.named(home, [device.id])})
    if isinstance(prop, str) and prop in state and device.type is not DeviceType.SENSOR:
        return _property_answer(home, device, prop, state[prop])
    return _state_answer(home, device, state)


def _property_answer(home: Home, device: Device, prop: str, value: Any) -> Said:
    if prop == "remaining_time":
        return _remaining(home, device, {"remaining_time": value, "run_state": "running"})
    fields = {"device": naming.named(home, [device.id]), "prop": naming.prop(prop), "value": naming.value(prop, value)}
    return Said("reply.answer.property", fields)


def _state_answer(home: Home, device: Device, state: Mapping[str, Any]) -> Said:
    said: dict[str, Any] = {"device": naming.named(home, [device.id])}
    if device.type in _CYCLES:
        return _remaining(home, device, state)
    if device.type is DeviceType.DOOR_LOCK and "lock" in state:
        return Said(f"reply.answer.{'locked' if state['lock'] == 'locked' else 'unlocked'}", said)
    if device.type is DeviceType.SENSOR:
        return _sensor_answer(home, device, state)
    if "position" in state:
        position = state["position"]
        shown = "closed" if position == 0 else "open" if position == 100 else "open_part"
        return Said(f"reply.answer.{shown}", {**said, "position": position})
    if "power" in state:
        return Said(f"reply.answer.{'on' if state['power'] else 'off'}", said)
    if "valve" in state:
        return Said(f"reply.answer.{'valve_open' if state['valve'] == 'open' else 'valve_closed'}", said)
    return _readings(said["device"], state)  # what it reports, each by its name: "거실 TV는 밝기 50%예요."


def _remaining(home: Home, device: Device, state: Mapping[str, Any]) -> Said:
    """ "세탁이 1시간 뒤에 끝나요.": a cycle by its name (세탁, 건조, 세척), another device by its own."""
    cycle: Any = naming.named(home, [device.id])
    if device.type in _CYCLES:
        cycle = {"what": "word", "of": "reply.cycles", "name": device.type.value}
    run = state.get("run_state")
    if run == "finished":
        return Said("reply.answer.finished", {"cycle": cycle})
    if run in ("idle", None) or not state.get("remaining_time"):
        return Said("reply.answer.idle", {"device": naming.named(home, [device.id])})
    return Said("reply.answer.remaining", {"cycle": cycle, "left": float(state["remaining_time"])})


def _sensor_answer(home: Home, device: Device, state: Mapping[str, Any]) -> Said:
    """ "거실은 24.5도, 습도 40%예요.": a sensor's readings, said of its room."""
    room = home.room(device.room) if device.room else None
    return _readings(naming.room_named(room) if room is not None else naming.named(home, [device.id]), state)


def _readings(place: Any, state: Mapping[str, Any]) -> Said:
    order = [k for k in _SENSOR_ORDER if k in state] + [k for k in state if k not in _SENSOR_ORDER]
    readings = {"what": "readings", "items": [[key, state[key]] for key in order]}
    return Said("reply.answer.readings", {"place": place, "readings": readings})
