"""From what a request says to commands: which intent, for whom, with which property and value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from jibsa.domain import Command, Device, DeviceType, Home
from jibsa.domain.actions import canonical_intent
from jibsa.domain.intents import BUILTIN_INTENTS
from jibsa.nlu.clause import Clause, unread_modifier, unread_words
from jibsa.nlu.feelings import by_state
from jibsa.nlu.home_intents import add_item_command, timer_command, weather_command
from jibsa.nlu.lexicon import Lexicon
from jibsa.nlu.numbers import as_int_if_whole
from jibsa.nlu.queries import query
from jibsa.nlu.setting import Setting, default_prop, read_setting, set_commands, settable
from jibsa.nlu.slips import jamo
from jibsa.nlu.targets import (
    Context,
    first_kind_with_devices,
    kind_devices,
    resolve,
    room_devices,
    unplaced_spread,
)  # fmt: skip
from jibsa.nlu.understood import Interpretation, Previous

_CYCLE = re.compile(r"([가-힣]{1,6})\s*(?:코스|course|cycle)")
ACTIONS = BUILTIN_INTENTS.names(verb=True)  # the device intents a verb alone asks for
_COVERS = frozenset({DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.WINDOW, DeviceType.GARAGE_DOOR})
_APPLIANCES = frozenset({DeviceType.WASHER, DeviceType.DRYER, DeviceType.DISHWASHER})


def interpret(clause: Clause, home: Home, lex: Lexicon, ctx: Context, previous: Previous | None) -> Interpretation:
    """The commands one request asks for, or why there are none."""
    if clause.unknown:
        return Interpretation(not_found=[*clause.unknown], reason="not_found")
    home_command = _home_intent(clause)
    if home_command is not None:
        return Interpretation(commands=[home_command] if home_command.intent != "none" else [])
    if clause.negated or (clause.has("cancel") and clause.names_targets and not clause.question):
        return Interpretation(reason="negated")
    if "keep" in clause.verb_names():
        return Interpretation(reason="keep")
    scenes = clause.tagged("scene")  # the home's own words come before small talk ("잘 자" may be a scene)
    asked_about = clause.question and clause.has("greeting")  # "엄마 집에 왔어?" asks; it runs no scene
    if (
        scenes
        and not clause.devices
        and "turn_off" not in clause.verb_names()
        and not clause.state_question
        and not asked_about
    ):
        return Interpretation(commands=[Command("run_scene", (), {"scene": scenes[0]})])
    talk = clause.tagged("smalltalk")
    if asked_about:
        return Interpretation(reason="unclear")
    if talk and not clause.verbs and not clause.numbers and (not clause.names_targets or _remark(clause)):
        return Interpretation(reason="smalltalk", detail=talk[0])
    if _told(clause.sentence[clause.offset : clause.tokens[-1].end + 6]) and not clause.question:
        return Interpretation(reason="smalltalk", detail="other")  # "어제 에어컨 고장 났었어": a story, no request
    if _is_query(clause):
        return query(clause, home, lex, ctx, previous)
    if clause.has("feeling") and not _action_verbs(clause) and not _has_value(clause):
        return _feeling(clause, home, lex, ctx)
    return _action(clause, home, lex, ctx, previous)


def _told(text: str) -> bool:
    """났었어, 켰었는데: a past before the past (ㅆ then 었) tells what happened once; it asks for nothing."""
    return any(
        ch == "었" and i and (ord(text[i - 1]) - 0xAC00) % 28 == 20 and "가" <= text[i - 1] <= "힣"
        for i, ch in enumerate(text)
    )


def _remark(clause: Clause) -> bool:
    """ "에어컨 바람 시원하다 좋다": a remark about a device, neither a question nor a request."""
    return not clause.question and not clause.has("query") and not clause.has("state")


def _home_intent(clause: Clause) -> Command | None:
    named = bool(clause.devices or clause.specs or clause.bare_rooms)
    if _cancels(clause) and not clause.has("timer") and not clause.names_targets and not _action_verbs(clause):
        if clause.has("jobs") and clause.has("all"):  # "예약 다 취소해": every one kept, not only the last
            return Command("cancel", (), {"all": True})
        return Command("cancel")
    if clause.has("timer"):
        return timer_command(clause, clause.text)
    if clause.has("list") and (clause.has("list_add") or clause.verbs) and not clause.devices:
        return add_item_command(clause) or Command("none")
    if named:
        return None
    if clause.has("home_status"):
        return Command("query_home")
    if clause.has("jobs") and (clause.question or clause.has("query")) and not _action_verbs(clause):
        return Command("list_jobs")
    if clause.has("weather") or (clause.has("city") and (clause.question or clause.has("query"))):
        return weather_command(clause)  # a city alone is asked about ("부산은 어때?"), never "고양이 밝기 50으로"
    if clause.has("date"):
        return Command("get_date")
    if clause.has("time"):
        return Command("get_time")
    if clause.has("day") and _asks_about_air(clause) and not clause.has("smalltalk"):  # "오늘 기분 어때?"
        return weather_command(clause)
    return None


def _asks_about_air(clause: Clause) -> bool:
    return bool({"temperature", "air_quality", "humidity", "pm25"} & set(clause.tagged("prop"))) or clause.question


def _cancels(clause: Clause) -> bool:
    """ "됐어" cancels when it stands alone, not as the end of "감지됐어"."""
    for token in clause.tokens:
        if token.has("cancel") and not (clause.has("measure") or clause.has("prop")):
            attached = token.start > 0 and clause.text[: token.start - clause.tokens[0].start][-1:].strip() != ""
            return not attached
    return False


def _action_verbs(clause: Clause) -> list[str]:
    return [v for v in clause.verb_names() if v in ACTIONS or v in ("up", "down")]


def _has_value(clause: Clause) -> bool:
    return bool(clause.numbers or clause.has("value") or clause.has("extreme"))


def _is_query(clause: Clause) -> bool:
    if clause.state_question:
        return True
    if _action_verbs(clause) or "set" in clause.verb_names() or _has_value(clause):
        return False
    return (
        clause.has("query")
        or clause.question
        or clause.has("measure")
        or (clause.has("prop") and not clause.has("feeling"))
    )


def _feeling(clause: Clause, home: Home, lex: Lexicon, ctx: Context) -> Interpretation:
    name = clause.tagged("feeling")[0]
    feeling = next(f for f in lex.feelings if f.name == name)
    rooms = tuple(clause.bare_rooms) or ctx.carried
    devices = first_kind_with_devices(home, feeling.kinds, replace(ctx, carried=rooms, chosen=frozenset()))
    if not devices:
        return Interpretation(reason="unclear")
    if unplaced_spread(clause, replace(ctx, carried=rooms), devices):
        chosen = [d for d in devices if d.id in ctx.chosen]
        if not chosen:
            return Interpretation(reason="choose", devices=devices)
        devices = chosen
    if ctx.state is not None:
        where = rooms or ((ctx.room,) if ctx.room else ())
        eased = by_state(feeling.name, devices, home, where, ctx.state)
        if eased == []:
            return Interpretation(reason="already", devices=list(devices), detail=feeling.name)
        if eased is not None:
            return Interpretation(commands=eased)
    params: dict[str, Any] = {}
    if feeling.property:
        params = {"property": feeling.property, "direction": feeling.direction}
    return Interpretation(commands=_by_intent(devices, feeling.intent, params))


def _the_running(devices: Sequence[Device], setting: Setting, ctx: Context) -> list[Device]:
    """A step asked of a kind in several rooms ("에어컨 좀 덜 춥게"): the devices that are on, when only some
    are (a target moves on the air conditioner that cools, as "너무 추워" eases the one that cools); else none,
    and the person is asked."""
    if ctx.state is None or setting.direction is None:
        return []
    running = [d for d in devices if ctx.state(d.id).get("power") is True]
    return running if len(running) < len(devices) else []


def _cleaning(clause: Clause, home: Home) -> Interpretation | None:
    """ "거실 청소해줘": start the robot vacuum, with the room as its area."""
    if not any(n == "start" and ("청소" in t.text or t.text.startswith("clean")) for n, t in clause.verbs):
        return None
    if {"stop", "pause", "dock"} & set(clause.verb_names()):
        return None
    named = [
        d
        for ids in clause.devices
        for d in (home.device(i) for i in ids)
        if d is not None and d.type is DeviceType.ROBOT_VACUUM
    ]
    robots = named or [d for d in home.devices if d.type is DeviceType.ROBOT_VACUUM]
    if not robots:
        return Interpretation(not_found=["로봇청소기"], reason="not_found")
    rooms = [*clause.bare_rooms, *(r for s in clause.specs for r in s.rooms)]
    params: dict[str, Any] = {"area": rooms[0]} if rooms else {}
    return Interpretation(commands=[Command("start", tuple(d.id for d in robots), params)])


def _action(clause: Clause, home: Home, lex: Lexicon, ctx: Context, previous: Previous | None) -> Interpretation:
    cleaning = _cleaning(clause, home)
    if cleaning is not None:
        return cleaning
    setting = read_setting(clause, lex)
    if clause.has("more") and setting.direction is None and previous is not None and previous.intent == "adjust":
        setting.direction = previous.params.get("direction")
        setting.prop = setting.prop or previous.params.get("property")
        if isinstance(setting.value, (int, float)):
            setting.amount, setting.value = setting.value, None
        setting.said = True
    devices, not_found, inherited = _targets(clause, home, lex, ctx, previous=previous, setting=setting)
    if not_found:
        return Interpretation(not_found=not_found, reason="not_found")
    placed = bool(clause.devices or any(s.rooms for s in clause.specs))
    unread = unread_words(clause, ctx.fillers) if not placed else []
    unknown = (None if inherited else _guess(clause, home, lex, unread, setting)) or _unknown_word(
        clause, home, ctx, unread, bool(devices)
    )
    if unknown is not None:
        return unknown
    slip = unread[0] if unread else ""  # "거싷 불 켜": the kind is read; the word before may be a room
    if not devices:
        return Interpretation(reason="unclear")
    if not inherited and unplaced_spread(clause, ctx, devices):
        devices = [d for d in devices if d.id in ctx.chosen] or _the_running(devices, setting, ctx)
        if not devices:
            return Interpretation(
                reason="choose",
                devices=_candidates(clause, home, lex, ctx, previous=previous, setting=setting),
                unread=slip,
            )
    if clause.also and previous is not None and not _action_verbs(clause) and not setting.said:
        prop = previous.params.get("property")
        devices = [d for d in devices if settable(d, str(prop))] if prop else devices
        return Interpretation(commands=_by_intent(devices, previous.intent, previous.params))
    devices, ask = _broad_devices(clause, devices, setting, ctx.chosen) if _broad(clause) else (devices, False)
    if ask:
        return Interpretation(reason="choose", devices=devices)
    commands = _commands(clause, devices, setting)
    if not commands and _changes_value(clause, setting):
        prop = setting.prop or default_prop(devices, setting.unit) or ""
        lacking = not any(settable(d, prop) for d in devices)
        return Interpretation(reason="no_property" if lacking else "bad_value", devices=list(devices), detail=prop)
    cycle = _CYCLE.search(clause.text)
    if cycle and cycle.group(1) not in ("세탁", "건조", "세척", "청소"):
        commands = [
            replace(c, params={**c.params, "cycle": cycle.group(1)}) if c.intent == "start" else c for c in commands
        ]
    return Interpretation(commands=commands, reason="" if devices else "unclear", unread=slip)


def _unknown_word(clause: Clause, home: Home, ctx: Context, unread: list[str], found: bool) -> Interpretation | None:
    """Not found, when a word no list knows says which one: the only word besides a room ("거실 스팀다리미
    꺼줘"), or a word right before a kind or device in no room said ("펜트하우스 에어컨 켜")."""
    if unread and not clause.specs and (clause.bare_rooms or not found):
        missing = " ".join([*_room_names(home, clause.bare_rooms), *unread])  # quoted whole: "서재 pen"
        return Interpretation(not_found=[missing], reason="not_found", unread=unread[0])
    if clause.bare_rooms or any(s.rooms for s in clause.specs):
        return None
    modifier = unread_modifier(clause, ctx.fillers)
    return Interpretation(not_found=[modifier], reason="not_found", unread=modifier) if modifier else None


def _targets(
    clause: Clause, home: Home, lex: Lexicon, ctx: Context, *, previous: Previous | None, setting: Setting
) -> tuple[list[Device], list[str], bool]:
    """The request's devices, what was not found, and whether the devices come from the last command."""
    res = resolve(home, clause, ctx)
    devices = [d for d in (home.device(i) for i in res.ids) if d is not None]
    if res.not_found or devices:
        return devices, res.not_found, False
    if clause.bare_rooms:
        return (*_room_targets(clause, home, previous, setting), False)
    if previous is not None and (clause.has("ref") or not (clause.names_targets or clause.has("all"))):
        found = [d for d in (home.device(i) for i in previous.targets) if d is not None]
        if setting.prop:  # "볼륨 10으로" after "주방 불 켜": the volume is not the light's
            found = [d for d in found if settable(d, setting.prop)]
        if found:
            return found, [], True
    kinds = _implied_kinds(lex, setting) or _verb_kinds(clause, lex)
    if not kinds and clause.has("all") and not clause.names_targets and _action_verbs(clause):
        return kind_devices(home, None, ()), [], False
    return first_kind_with_devices(home, kinds, ctx), [], False


def _candidates(
    clause: Clause, home: Home, lex: Lexicon, ctx: Context, *, previous: Previous | None, setting: Setting
) -> list[Device]:
    """The devices to choose among: those of the request that could take it."""
    devices, _, _ = _targets(clause, home, lex, replace(ctx, chosen=frozenset()), previous=previous, setting=setting)
    if not _changes_value(clause, setting):
        return devices
    prop = setting.prop or default_prop(devices, setting.unit)
    return [d for d in devices if settable(d, prop)] or devices


def _changes_value(clause: Clause, setting: Setting) -> bool:
    explicit_set = "set" in clause.verb_names() and setting.prop is not None
    return setting.value is not None or setting.extreme is not None or setting.direction is not None or explicit_set


def _verb_kinds(clause: Clause, lex: Lexicon) -> list[DeviceType]:
    """Kinds a verb names by itself: 청소 -> the robot vacuum."""
    for word, kinds in lex.section("verb_kinds").items():
        if any(word in token.text for _, token in clause.verbs):
            return [DeviceType(k) for k in kinds]
    return []


def _guess(clause: Clause, home: Home, lex: Lexicon, unread: list[str], setting: Setting) -> Interpretation | None:
    """Not found, when words not read leave only a guess: no device word was read ("turn off the a few bit of
    air" would be the purifier, by "air"), or the word before the kind may complete another kind ("VHS washer":
    the dishwasher?). The words not read are quoted whole."""
    if not unread:
        return None
    longer = _names_another_kind(clause, unread, lex)
    guessed = _unnamed(clause) and not _changes_value(clause, setting)  # "냉동실 온도 …도로": the property names it
    if not (guessed or longer):
        return None
    missing = " ".join([*_room_names(home, clause.bare_rooms), *(unread if not longer else [longer])])
    return Interpretation(not_found=[missing], reason="not_found", unread=unread[0])


def _broad_devices(
    clause: Clause, devices: list[Device], setting: Setting, chosen: frozenset[str]
) -> tuple[list[Device], bool]:
    """Of a room's (or the home's) devices, those that take the request ("거실 거 열어줘": the curtain), and
    whether to ask which: every device of the home opened, unlocked, started … ("다 열어") is asked about,
    and the answer (`chosen`) picks; only "다 꺼"/"다 켜" stand for all of them."""
    verbs = _action_verbs(clause)
    if set(verbs) & {"turn_on", "turn_off"}:
        return [d for d in devices if d.property_spec("power") is not None], False
    if setting.said:
        return devices, False
    taking = _taking(devices, verbs)
    homewide = not clause.bare_rooms and not any(s.rooms for s in clause.specs)
    if not homewide or len(taking) < 2:
        return taking, False
    answered = [d for d in taking if d.id in chosen]  # "거실" after "거실 기기요, 안방 기기요, …?"
    return (answered, False) if answered else (taking, True)


def _unnamed(clause: Clause) -> bool:
    """No device and no kind was read: the request's devices would come from a room, a property or "다"."""
    return not clause.devices and not any(s.kind is not None for s in clause.specs)


def _names_another_kind(clause: Clause, unread: Sequence[str], lex: Lexicon) -> str:
    """A word not read just before the kind word, where another kind's word ends with that one, said together
    ("VHS washer": the dishwasher may be meant), or ""."""
    kinds = lex.groups("kinds")
    for spec in clause.specs:
        said = spec.text.strip()
        before = clause.sentence[: clause.sentence.find(said)].split() if said and said in clause.sentence else []
        others = [w for kind, words in kinds.items() if spec.kind is None or kind != spec.kind.value for w in words]
        if (
            before
            and before[-1] in unread
            and any(w.endswith(said) and _sounds_like(before[-1], w[: -len(said)]) for w in others)
        ):
            return f"{before[-1]} {said}"
    return ""


def _sounds_like(word: str, rest: str) -> bool:
    """Most of the letters of the shorter (jamo for Korean) are in the other: "vhs" and "dish", not "방" and "가스"."""
    a, b = jamo(word), jamo(rest.strip())
    if not a or not b:
        return False
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    return sum(ch in other for ch in short) * 3 >= len(short) * 2


def _taking(devices: Sequence[Device], verbs: Sequence[str]) -> list[Device]:
    """Of `devices`, those whose type takes the request's last action ("열어" opens curtains, not lights)."""
    base = next((v for v in reversed(verbs) if v in ACTIONS), None)
    if base is None:
        return list(devices)
    return [d for d in devices if device_intent(d, base) in d.spec.intents]


def _room_names(home: Home, rooms: Sequence[str]) -> list[str]:
    return [r.name for r in (home.room(i) for i in rooms) if r is not None]


def _broad(clause: Clause) -> bool:
    """A room alone, or "전부" alone: everything there, not one kind."""
    if clause.devices or any(s.kind is not None for s in clause.specs):
        return False
    return bool(clause.bare_rooms or clause.has("all") or clause.specs)


def _room_targets(
    clause: Clause, home: Home, previous: Previous | None, setting: Setting
) -> tuple[list[Device], list[str]]:
    rooms = clause.bare_rooms
    if clause.also and previous is not None:
        found = [d for k in previous.kinds for d in kind_devices(home, k, rooms)]
        if found:
            return found, []
        names = [r.name for r in (home.room(i) for i in rooms) if r is not None]
        return [], [" ".join(names)]
    if setting.direction is not None or (setting.prop and setting.value is None and setting.extreme is None):
        return room_devices(home, rooms, setting.prop or "brightness"), []
    return room_devices(home, rooms), []


def _implied_kinds(lex: Lexicon, setting: Setting) -> list[DeviceType]:
    if setting.prop == "mode" and isinstance(setting.value, str):
        return lex.kinds_in("mode_kinds", setting.value)
    if setting.prop:
        return lex.kinds_in("property_kinds", setting.prop)
    return []


def _commands(clause: Clause, devices: Sequence[Device], setting: Setting) -> list[Command]:
    verbs = _action_verbs(clause)
    base = next((v for v in reversed(verbs) if v in ACTIONS), None)  # Korean puts the main verb last
    explicit_set = "set" in clause.verb_names() and setting.prop and setting.direction is None
    if setting.value is not None or setting.extreme is not None or explicit_set:
        # "에어컨 켜서 23도로 맞춰줘": both verbs were said, so both are done, power first.
        prop = setting.prop or default_prop(devices, setting.unit)
        capable = [d for d in devices if settable(d, prop)]
        powered = [d for d in capable if "power" in d.spec.property_names] if _turns_on_first(clause) else []
        setting_commands = set_commands(capable, setting)
        return _by_intent(powered, "turn_on", {}) + setting_commands if setting_commands else []
    if setting.direction is not None:
        return _adjust_commands(devices, setting, base)
    if base is None:
        return []
    return _by_intent(devices, base, {})


def _turns_on_first(clause: Clause) -> bool:
    """ "켜서 23도로" turns on, then sets; "23도로 켜줘" and "채널 11번 틀어줘" only set."""
    return any(
        name == "turn_on" and (token.tail + " ").lstrip().startswith(("서", "어서", "가지고"))
        for name, token in clause.verbs
    )


def _adjust_commands(devices: Sequence[Device], s: Setting, base: str | None) -> list[Command]:
    covers = [d for d in devices if d.type in _COVERS]
    others = [d for d in devices if d.type not in _COVERS]
    out: list[Command] = []
    if covers and s.amount is None:
        out += _by_intent(covers, "open" if s.direction == "up" else "close", {})
    elif covers:
        others = [*covers, *others]
    prop = s.prop or default_prop(others, s.unit)
    others = [d for d in others if settable(d, prop)]
    if others:
        params: dict[str, Any] = {"property": prop, "direction": s.direction}
        if s.amount is not None:
            params["amount"] = as_int_if_whole(s.amount)
        out.append(Command("adjust", tuple(d.id for d in others), params))
    return out


def _by_intent(devices: Sequence[Device], intent: str, params: dict[str, Any]) -> list[Command]:
    """One command per intent as each device's type understands it (열어 on a lock unlocks)."""
    groups: dict[str, list[str]] = {}
    for device in devices:
        groups.setdefault(device_intent(device, intent), []).append(device.id)
    return [Command(name, tuple(ids), dict(params)) for name, ids in groups.items()]


def device_intent(device: Device, intent: str) -> str:
    if device.type in (DeviceType.ROBOT_VACUUM, *_APPLIANCES) and intent in ("turn_on",):
        return "start" if device.type is DeviceType.ROBOT_VACUUM else intent
    if device.type is DeviceType.ROBOT_VACUUM and intent == "turn_off":
        return "stop"
    if device.type not in (DeviceType.ROBOT_VACUUM, *_APPLIANCES) and intent == "start":
        return canonical_intent(device, "turn_on")
    if device.type is DeviceType.GAS_VALVE and intent in ("turn_off", "lock"):
        return "close"
    return canonical_intent(device, intent)


def previous_of(commands: Sequence[Command], home: Home) -> Previous | None:
    """What later requests refer back to: the last device command."""
    for command in reversed(commands):
        if command.targets:
            kinds = []
            for device in (home.device(i) for i in command.targets):
                if device is not None and device.type not in kinds:
                    kinds.append(device.type)
            return Previous(command.intent, command.without_timing().to_dict()["params"], command.targets, tuple(kinds))
    return None
