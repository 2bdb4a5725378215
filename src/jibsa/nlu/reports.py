"""The reply after acting: what changed, what failed and why, and answers to questions about state."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jibsa.domain import Command, Delivery, Device, DeviceType, Home, TargetResult
from jibsa.domain.korean import duration_text, join_names, josa, number_text
from jibsa.nlu.naming import target_phrase
from jibsa.nlu.texts import reply_texts as _lang

_CYCLE_NOUN = {DeviceType.WASHER: "세탁", DeviceType.DRYER: "건조", DeviceType.DISHWASHER: "세척"}
_SENSOR_ORDER = ("temperature", "current_temperature", "humidity", "current_humidity", "pm25", "co2",
                 "air_quality", "battery")  # fmt: skip


def describe(
    home: Home,
    commands: Sequence[Command],
    per_command: Sequence[Sequence[TargetResult]],
    lang: dict[str, Any],
    language: str,
) -> str:
    parts: list[str] = []
    for command, results in zip(commands, per_command, strict=False):
        parts.extend(_describe_command(home, command, results, lang, language))
    return " ".join(p for p in parts if p) or ("Done." if language == "en" else "처리했어요.")


def _name(home: Home, target: str) -> str:
    device = home.device(target)
    return device.name if device is not None else target


def _describe_command(
    home: Home, command: Command, results: Sequence[TargetResult], lang: dict[str, Any], language: str
) -> list[str]:
    ok = [r for r in results if r.ok and r.delivery is not Delivery.SENT]
    sent = [r for r in results if r.ok and r.delivery is Delivery.SENT]
    failed = [r for r in results if not r.ok]
    parts: list[str] = []
    if command.intent == "query_state":
        parts += [_answer(home, r, command.params.get("property"), language) for r in ok]
    elif ok:
        parts.append(_done(home, command, ok, lang, language))
    if sent:
        parts.append(_sent(home, sent, lang, language))
    parts += [_failure(home, r, lang, language) for r in failed]
    return parts


def _done(home: Home, command: Command, ok: Sequence[TargetResult], lang: dict[str, Any], language: str) -> str:
    ids = [r.target for r in ok]
    ko = language != "en"
    template = lang["done"].get(command.intent, lang["done"]["ok"] if not ko else None)
    if template is None:
        return "처리했어요."
    prop = str(command.params.get("property", ""))
    applied = _applied(ok, prop, command.params.get("value"))
    unchanged = all(r.state is not None and not r.changes for r in ok)  # the devices said so themselves
    if command.intent in ("set", "adjust") and unchanged and applied is not None:
        template = str(lang["already"])  # nothing changed: never "맞췄어요"
    prop_name = lang["properties"].get(prop, prop) if ko else prop.replace("_", " ")
    value = _value(lang, prop, applied, language)
    template = str(template)
    fields: dict[str, Callable[[], str]] = {  # worded only when the template says them
        "targets": lambda: target_phrase(home, ids, "을", lang, language),
        "owner": lambda: target_phrase(home, ids, "의", lang, language),
        "prop": lambda: josa(prop_name, "을") if ko else prop_name,
        "value": lambda: josa(value, "으로") if ko else value,
        "scene": lambda: _scene(home, command, ko),
        "prop_is": lambda: josa(prop_name, "은") if ko else prop_name,
        "plain": lambda: josa(value, "이에요") if ko else value,
    }  # fmt: skip
    text = template.format(**{name: word() for name, word in fields.items() if f"{{{name}}}" in template})
    return text + (_clamp_note(command, applied, prop, lang, ok) if ko else "")


def _applied(ok: Sequence[TargetResult], prop: str, asked: Any) -> Any:
    """The value the devices have now: what changed, else the state they report, else what was asked."""
    changed = next((r.changes[prop] for r in ok if r.changes.get(prop) is not None), None)
    if changed is not None:
        return changed
    reported = next((r.state[prop] for r in ok if r.state and r.state.get(prop) is not None), None)
    return reported if reported is not None else asked


def _sent(home: Home, sent: Sequence[TargetResult], lang: dict[str, Any], language: str) -> str:
    """Delivered to devices that cannot report back: never "done", only "sent"."""
    names_list = [_name(home, r.target) for r in sent]
    if language == "en":
        return str(lang["sent"]).format(targets=", ".join(names_list))
    names = join_names(names_list) if len(names_list) <= 3 else f"기기 {len(names_list)}개"
    return str(lang["sent"]).format(targets=names + "에")


def _scene(home: Home, command: Command, ko: bool) -> str:
    scene = home.scene(str(command.params.get("scene", "")))
    name = scene.name if scene is not None else str(command.params.get("scene", ""))
    return josa(name, "을") if ko else name


def _clamp_note(command: Command, applied: Any, prop: str, lang: dict[str, Any], ok: Sequence[TargetResult]) -> str:
    asked = command.params.get("value")
    noted = any(r.notes for r in ok)
    if not isinstance(applied, (int, float)) or not isinstance(asked, (int, float)) or applied == asked:
        return f" ({'; '.join(n for r in ok for n in r.notes)})" if noted else ""
    key = "clamp" if asked > applied else "clamp_low"
    prop_name = lang["properties"].get(prop, prop)
    return " " + str(lang[key]).format(prop=josa(prop_name, "이"), value=_value(lang, prop, applied))


def _value(lang: dict[str, Any], prop: str, value: Any, language: str = "ko") -> str:
    if isinstance(value, bool):
        return ("켬" if value else "끔") if language != "en" else ("on" if value else "off")
    if isinstance(value, (int, float)):
        return number_text(value) + str(lang.get("units", {}).get(prop, ""))
    return str(lang.get("values", {}).get(str(value), value))


def _failure(home: Home, result: TargetResult, lang: dict[str, Any], language: str) -> str:
    name = _name(home, result.target)
    code = result.error.value if result.error is not None else "device_error"
    if language == "en":
        template = lang["errors"].get(code, lang["errors"]["other"])
        return str(template).format(target=name, message=result.message)
    template = lang["errors"].get(code, lang["errors"]["device_error"])
    particle = "을" if code in ("refused_for_safety", "not_allowed", "needs_confirmation", "unknown_device") else "이"
    if code in ("unsupported_intent", "unsupported_property"):
        particle = "에는"
        return str(template).format(target=name + "에는")
    if code == "unconfirmed":
        return str(template).format(target=name + "에")
    return str(template).format(target=josa(name, particle))


def _answer(home: Home, result: TargetResult, prop: Any, language: str) -> str:
    device = home.device(result.target)
    state = dict(result.state or {})
    name = _name(home, result.target)
    if language == "en":
        return _answer_en(device, name, state, prop)
    if device is None:
        return f"{name}: {state}"
    if isinstance(prop, str) and prop in state and device.type is not DeviceType.SENSOR:
        return _property_answer(device, prop, state[prop])
    return _state_answer(home, device, state)


def _answer_en(device: Device | None, name: str, state: Mapping[str, Any], prop: Any) -> str:
    """The same answers in plain English: "The washer is not running.", "현관문 is locked."."""
    if not state:
        return f"{name}: no reading yet."
    if device is not None and (device.type in _CYCLE_NOUN or prop == "remaining_time"):
        run, left = state.get("run_state"), state.get("remaining_time")
        if run == "finished":
            return f"{name} has finished."
        if run == "idle" or not left:  # a question about the time left is answered with that alone
            return f"{name} is not running."
        return f"{name} will finish in {max(1, round(float(left) / 60))} min."
    if isinstance(prop, str) and prop in state:
        return f"The {prop.replace('_', ' ')} of {name} is {_en_value(state[prop])}."
    if "lock" in state:
        return f"{name} is {state['lock']}."
    if "position" in state:
        position = state["position"]
        shown = "closed" if position == 0 else "open" if position == 100 else f"{number_text(position)}% open"
        return f"{name} is {shown}."
    if "valve" in state:
        return f"{name} is {state['valve']}."
    if "power" in state:
        return f"{name} is {'on' if state['power'] else 'off'}."
    shown = ", ".join(f"{k.replace('_', ' ')} {_en_value(v)}" for k, v in state.items())
    return f"{name}: {shown}."


def _en_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return number_text(value) if isinstance(value, (int, float)) else str(value).replace("_", " ")


def _property_answer(device: Device, prop: str, value: Any) -> str:
    if prop == "remaining_time":
        return _remaining(device, {"remaining_time": value, "run_state": "running"})
    lang = _lang("ko")
    prop_name = lang["properties"].get(prop, prop)
    return f"{josa(device.name, '의')} {josa(prop_name, '은')} {josa(_value(lang, prop, value), '이에요')}."


def _state_answer(home: Home, device: Device, state: Mapping[str, Any]) -> str:
    if device.type in _CYCLE_NOUN:
        return _remaining(device, state)
    if device.type is DeviceType.DOOR_LOCK and "lock" in state:
        return f"{josa(device.name, '은')} {'잠겨' if state['lock'] == 'locked' else '열려'} 있어요."
    if device.type is DeviceType.SENSOR:
        return _sensor_answer(home, device, state)
    if "position" in state:
        pos = state["position"]
        shown = "닫혀" if pos == 0 else "열려" if pos == 100 else f"{number_text(pos)}% 열려"
        return f"{josa(device.name, '은')} {shown} 있어요."
    if "power" in state:
        return f"{josa(device.name, '은')} {'켜져' if state['power'] else '꺼져'} 있어요."
    if "valve" in state:
        return f"{josa(device.name, '은')} {'열려' if state['valve'] == 'open' else '잠겨'} 있어요."
    return f"{josa(device.name, '은')} {state}."


def _remaining(device: Device, state: Mapping[str, Any]) -> str:
    noun = _CYCLE_NOUN.get(device.type, device.name)
    run = state.get("run_state")
    if run == "finished":
        return f"{josa(noun, '이')} 끝났어요."
    if run in ("idle", None) or not state.get("remaining_time"):
        return f"{josa(device.name, '은')} 지금 쉬고 있어요."
    return f"{josa(noun, '이')} {duration_text(float(state['remaining_time']))} 뒤에 끝나요."


def _sensor_answer(home: Home, device: Device, state: Mapping[str, Any]) -> str:
    lang = _lang("ko")
    room = home.room(device.room) if device.room else None
    subject = josa(room.name if room is not None else device.name, "은")
    readings = []
    for key in [k for k in _SENSOR_ORDER if k in state] + [k for k in state if k not in _SENSOR_ORDER]:
        value = state[key]
        if isinstance(value, bool):
            readings.append(f"{lang['properties'].get(key, key)} {'감지됨' if value else '없음'}")
        elif key in ("temperature", "current_temperature"):
            readings.append(_value(lang, key, value))
        else:
            readings.append(f"{lang['properties'].get(key, key)} {_value(lang, key, value)}")
    if not readings:
        return f"{josa(device.name, '은')} 아직 값이 없어요."
    return f"{subject} {josa(', '.join(readings), '이에요')}."
