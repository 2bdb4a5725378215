"""What jibsa says: the promise before acting (`promise`) and the report after (`describe_results`),
in polite Korean with the right particles, or in plain English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain import Command, Home, TargetResult
from jibsa.nlu.josa import clock_text, duration_text, join_names, josa, number_text
from jibsa.nlu.outcomes import describe
from jibsa.nlu.texts import reply_texts as _lang

_MAX_NAMED = 3


def target_names(home: Home, ids: Sequence[str], language: str = "ko") -> str:
    """"거실 천장등과 거실 스탠드", or "조명 5개" when there are many."""
    names = [d.name if d is not None else i for i, d in ((i, home.device(i)) for i in ids)]
    if len(names) > _MAX_NAMED:
        return f"{len(names)} devices" if language == "en" else f"기기 {len(names)}개"
    if language == "en":
        return " and ".join(names)
    return join_names(names)


def _value_text(lang: dict[str, Any], prop: str, value: Any) -> str:
    if isinstance(value, bool):
        return ("on" if value else "off") if "properties" not in lang else ("켬" if value else "끔")
    if isinstance(value, (int, float)):
        return number_text(value) + str(lang.get("units", {}).get(prop, ""))
    return str(lang.get("values", {}).get(str(value), value))


def _promise_one(home: Home, command: Command, language: str) -> str:
    lang = _lang(language)
    templates = lang["promise"]
    params = command.params
    names = target_names(home, command.targets, language)
    ko = language != "en"
    prop = str(params.get("property", ""))
    prop_name = lang.get("properties", {}).get(prop, prop) if ko else prop.replace("_", " ")
    key = command.intent
    if key == "adjust":
        key = "adjust_down" if params.get("direction") == "down" else "adjust_up"
    template = templates.get(key)
    if template is None:
        return ""
    value = _value_text(lang, prop, params.get("value"))
    fields = {
        "targets": josa(names, "을") if ko else names,
        "owner": josa(names, "의") if ko else names,
        "prop": josa(prop_name, "을") if ko else prop_name,
        "value": josa(value, "으로") if ko else value,
        "scene": _scene_name(home, params, ko),
        "duration": duration_text(float(params.get("duration_s", 0))) if params.get("duration_s") else "",
        "place": _place(params, lang, ko),
        "day": lang.get("days", {}).get(params.get("day", ""), "") if ko else "",
        "item": josa(str(params.get("item", "")), "을") if ko else str(params.get("item", "")),
        "list": lang["lists"].get(str(params.get("list", "shopping")), ""),
    }
    text = " ".join(str(template).format(**fields).split())
    if key == "set_timer" and not params.get("duration_s"):
        text = text.replace(" 타이머", "타이머").strip()
    return _with_timing(text, params, ko)


def _scene_name(home: Home, params: Mapping[str, Any], ko: bool) -> str:
    scene = home.scene(str(params.get("scene", "")))
    name = scene.name if scene is not None else str(params.get("scene", ""))
    return josa(name, "을") if ko else name


def _place(params: Mapping[str, Any], lang: dict[str, Any], ko: bool) -> str:
    city = params.get("city")
    if not city:
        return ""
    return f"{city}" if ko else f" in {city}"


def _with_timing(text: str, params: Mapping[str, Any], ko: bool) -> str:
    if not ko:
        return text
    prefix = []
    if params.get("repeat"):
        prefix.append({"daily": "매일", "weekdays": "평일마다", "weekends": "주말마다"}[str(params["repeat"])])
    if params.get("at"):
        prefix.append(clock_text(str(params["at"])) + "에")
    if params.get("delay_s"):
        prefix.append(duration_text(float(params["delay_s"])) + " 뒤에")
    return " ".join([*prefix, text]) if prefix else text


def promise(home: Home, commands: Sequence[Command], not_found: Sequence[str], reason: str, *,
            language: str = "ko", needs_confirmation: bool = False) -> str:
    """The reply given before acting: what will be done, what was not found, or why nothing."""
    lang = _lang(language)
    parts = [p for p in (_promise_one(home, c, language) for c in commands) if p]
    if not_found:
        names = ", ".join(dict.fromkeys(not_found))
        parts.append(str(lang["not_found"]).format(names=josa(names, "을") if language != "en" else names))
    if needs_confirmation:
        parts.append(str(lang["confirm"]))
    if not parts:
        parts.append(str(lang["negated"] if reason in ("negated", "keep") else lang["nothing"]))
    return " ".join(parts)


def describe_results(home: Home, commands: Sequence[Command], results: Sequence[Any], language: str = "ko") -> str:
    """The reply after acting, from each command's `TargetResult`s (a list per command, or one flat list)."""
    return describe(home, commands, _per_command(commands, results), _lang(language), language)


def _per_command(commands: Sequence[Command], results: Sequence[Any]) -> list[list[TargetResult]]:
    if results and all(isinstance(r, TargetResult) for r in results):
        left = [r for r in results if isinstance(r, TargetResult)]
        out: list[list[TargetResult]] = []
        for command in commands:
            mine: list[TargetResult] = []
            for target in command.targets:
                found = next((r for r in left if r.target == target), None)
                if found is not None:
                    mine.append(found)
                    left.remove(found)
            out.append(mine)
        return out
    return [list(r) for r in results]
