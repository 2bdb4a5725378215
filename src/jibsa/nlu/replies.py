"""What jibsa says: the promise before acting (`promise`) and the report after (`describe_results`),
in polite Korean with the right particles, or in plain English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain import Command, Device, Home, TargetResult
from jibsa.domain.korean import clock_text, duration_text, josa, number_text
from jibsa.nlu.naming import MAX_NAMED, kind_word, target_phrase
from jibsa.nlu.normalise import MAX_CHARS
from jibsa.nlu.reports import describe
from jibsa.nlu.slips import Slip
from jibsa.nlu.texts import reply_texts as _lang
from jibsa.nlu.understood import Interpretation


def _value_text(lang: dict[str, Any], prop: str, value: Any, language: str) -> str:
    if isinstance(value, bool):
        return ("on" if value else "off") if language == "en" else ("켬" if value else "끔")
    if isinstance(value, (int, float)):
        return number_text(value) + str(lang.get("units", {}).get(prop, ""))
    return str(lang.get("values", {}).get(str(value), value))


def _promise_one(home: Home, command: Command, language: str, *, ask: bool = False) -> str:
    lang = _lang(language)
    templates = lang["ask"] if ask and command.intent in lang["ask"] else lang["promise"]
    params = command.params
    ko = language != "en"
    prop = str(params.get("property", ""))
    prop_name = lang.get("properties", {}).get(prop, prop) if ko else prop.replace("_", " ")
    key = command.intent
    if key == "adjust":
        key = "adjust_down" if params.get("direction") == "down" else "adjust_up"
    template = templates.get(key)
    if template is None:
        return ""
    value = _value_text(lang, prop, params.get("value"), language)
    fields = {
        "targets": target_phrase(home, command.targets, "을", lang, language),
        "owner": target_phrase(home, command.targets, "의", lang, language),
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


_REPEAT_WORDS = {
    "daily": "매일",
    "weekdays": "평일마다",
    "weekends": "주말마다",
    **{
        day: f"매주 {name}요일"
        for day, name in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "월화수목금토일", strict=True)
    },
}


def _with_timing(text: str, params: Mapping[str, Any], ko: bool) -> str:
    if not ko:
        return text
    prefix = []
    if params.get("repeat"):
        prefix.append(_REPEAT_WORDS.get(str(params["repeat"]), str(params["repeat"])))
    if params.get("at"):
        prefix.append(clock_text(str(params["at"])) + "에")
    if params.get("delay_s"):
        prefix.append(duration_text(float(params["delay_s"])) + " 뒤에")
    return " ".join([*prefix, text]) if prefix else text


def promise(
    home: Home,
    commands: Sequence[Command],
    not_found: Sequence[str],
    why: Sequence[Interpretation],
    *,
    language: str = "ko",
    needs_confirmation: bool = False,
) -> str:
    """The reply given before acting: what will be done (asked first when it needs a yes), what was
    not found, what the devices lack, or why nothing."""
    lang = _lang(language)
    parts = [p for p in (_promise_one(home, c, language, ask=needs_confirmation) for c in commands) if p]
    parts += _not_found(not_found, why, lang, language)
    parts += [_lacking(home, o, lang, language) for o in why if o.reason in ("no_property", "bad_value")][:1]
    parts += [
        str(lang["already_bright"]).format(targets=target_phrase(home, [d.id for d in o.devices], "는", lang, language))
        for o in why
        if o.reason == "already"
    ][:1]
    if not parts:
        parts.append(_nothing(why, lang))
    return " ".join(parts)


def _not_found(
    not_found: Sequence[str], why: Sequence[Interpretation], lang: dict[str, Any], language: str
) -> list[str]:
    """What was not found: a word no list knows is asked about ("'펜트하우스'가 뭔지 모르겠어요."), a room or
    a kind the home lacks is said not found ("식기세척기를 찾지 못했어요.")."""
    unknown = {name for o in why if o.reason == "not_found" and o.unread for name in o.not_found}
    names = list(dict.fromkeys(not_found))
    asked, lacking = [n for n in names if n in unknown], [n for n in names if n not in unknown]
    parts = []
    if asked:
        said = ", ".join(f"'{n}'" for n in asked)
        parts.append(str(lang["slip_ask"]).format(said=josa(said, "이") if language != "en" else said))
    if lacking:
        said = ", ".join(lacking)
        parts.append(str(lang["not_found"]).format(names=josa(said, "을") if language != "en" else said))
    return parts


def _nothing(why: Sequence[Interpretation], lang: dict[str, Any]) -> str:
    reasons = [o.reason for o in why]
    if "negated" in reasons or "keep" in reasons:
        return str(lang["negated"])
    talk = next((o.detail for o in why if o.reason == "smalltalk"), None)
    if talk is not None:
        return str(lang["smalltalk"].get(talk, lang["smalltalk"]["other"]))
    return str(lang["nothing"])


def _lacking(home: Home, outcome: Interpretation, lang: dict[str, Any], language: str) -> str:
    """ "거실 TV에는 밝기 설정이 없어요." (or "…의 색을 그 값으로 맞출 수 없어요."): said once, for all."""
    prop = lang.get("properties", {}).get(outcome.detail, outcome.detail.replace("_", " "))
    names = target_phrase(home, [d.id for d in outcome.devices], "", lang, language)
    template = str(lang["lacking" if outcome.reason == "no_property" else "bad_value"])
    return template.format(targets=names, prop=prop, prop_object=josa(prop, "을") if language != "en" else prop)


def choice_question(home: Home, devices: Sequence[Device], language: str) -> str:
    """ "거실 에어컨이요, 안방 에어컨이요?": which of the rooms' devices the person means."""
    lang = _lang(language)
    kind = kind_word(devices, lang)
    places: dict[str, str] = {}
    for device in devices:
        room = home.room(device.room) if device.room else None
        places.setdefault(room.id if room is not None else device.id, room.name if room is not None else device.name)
    ko = language != "en"
    if len(places) > MAX_NAMED:
        return str(lang["choose_many"]).format(kind=kind, places=", ".join(places.values()))
    if ko:
        options = [f"{place} {kind}" if place != kind else place for place in places.values()]
        return ", ".join(josa(o, "이요") for o in options) + "?"
    return str(lang["choose"]).format(options=" or ".join(f"the one in {place}" for place in places.values()))


def slip_note(slip: Slip, language: str) -> str:
    """ "'블'을 '불'로 알아들었어요." (a slip read as meant), or "'블'이 뭔지 모르겠어요." (asked about)."""
    lang = _lang(language)
    said, meant = f"'{slip.said}'", f"'{slip.meant}'"
    if language == "en":
        return str(lang["slip_ask" if slip.ask else "slip_read"]).format(said=said, meant=meant)
    if slip.ask:
        return str(lang["slip_ask"]).format(said=josa(said, "이"))
    return str(lang["slip_read"]).format(said=josa(said, "을"), meant=josa(meant, "로"))


def refusal(code: str, language: str) -> str:
    """Why a request was not read (unknown_room, too_long), in `language`."""
    return str(_lang(language)["refused"][code]).format(limit=f"{MAX_CHARS:,}")


def describe_results(home: Home, commands: Sequence[Command], results: Sequence[Any], language: str = "ko") -> str:
    """The reply after acting, from each command's `TargetResult`s (a list per command, or one flat list)."""
    return describe(home, commands, _per_command(commands, results), _lang(language), language)


def _per_command(commands: Sequence[Command], results: Sequence[Any]) -> list[list[TargetResult]]:
    """Flat results shared out by target; a scene (no targets of its own) takes what is left."""
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
        scene = next((i for i, c in enumerate(commands) if not c.targets and c.intent == "run_scene"), None)
        if scene is not None:
            out[scene] = left
        return out
    return [list(r) for r in results]
