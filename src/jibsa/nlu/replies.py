"""What jibsa says about a request, as facts: the promise before acting (`promise`), the question back
(`choice_question`, `slip_note`), why a request was refused (`refusal`) and the report after acting
(`describe_results`). Each is a list of `Said` (a key of the words catalogue, `reply.*`, and its fields);
`jibsa.words` words them in the reader's language, with the particles Korean needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jibsa.domain import Command, Device, Home, TargetResult
from jibsa.domain.said import Said
from jibsa.nlu import naming
from jibsa.nlu.naming import MAX_NAMED
from jibsa.nlu.normalise import MAX_CHARS
from jibsa.nlu.reports import describe
from jibsa.nlu.slips import Slip
from jibsa.nlu.understood import Interpretation

# The intents with a promise (reply.promise.*) and with a question before a yes (reply.ask.*) in the catalogue;
# adjust is said by its direction (adjust_up, adjust_down), a timer without a length as set_timer_bare.
PROMISED = frozenset({"turn_on", "turn_off", "open", "close", "lock", "unlock", "start", "stop", "pause", "dock",
                      "query_state", "set", "adjust", "run_scene", "set_timer", "cancel_timer", "query_timer",
                      "get_weather", "get_time", "get_date", "add_item", "cancel", "list_jobs",
                      "query_home"})  # fmt: skip
ASKED = frozenset({"unlock", "turn_on", "turn_off", "open", "close", "start", "stop", "set", "adjust"})


def promise(
    home: Home,
    commands: Sequence[Command],
    not_found: Sequence[str] = (),
    why: Sequence[Interpretation] = (),
    *,
    needs_confirmation: bool = False,
) -> list[Said]:
    """The reply given before acting: what will be done (asked first when it needs a yes), what was
    not found, what the devices lack, or why nothing."""
    parts = [p for p in (_promise_one(home, c, ask=needs_confirmation) for c in commands) if p is not None]
    parts += _not_found(not_found, why)
    parts += [_lacking(home, o) for o in why if o.reason in ("no_property", "bad_value")][:1]
    parts += [
        Said("reply.already_bright", {"targets": naming.targets(home, [d.id for d in o.devices])})
        for o in why
        if o.reason == "already"
    ][:1]
    if not parts:
        parts.append(_nothing(why))
    return parts


def _promise_one(home: Home, command: Command, *, ask: bool = False) -> Said | None:
    params, intent = command.params, command.intent
    if intent not in PROMISED:
        return None
    key = naming.verb_key(home, intent, command.targets)
    if intent == "adjust":
        key = "adjust_down" if params.get("direction") == "down" else "adjust_up"
    if intent == "set_timer" and not params.get("duration_s"):
        key = "set_timer_bare"
    if intent == "query_state" and params.get("state"):  # "켜진 거 있어?": which of them are on
        key = f"query_state_{params['state']}"
    if intent == "get_weather":
        key = "get_weather" + ("_in" if params.get("city") else "") + ("_day" if params.get("day") else "")
    prop = str(params.get("property", ""))
    fields = {
        "targets": naming.targets(home, command.targets),
        "prop": naming.prop(prop),
        "value": naming.value(prop, params.get("value")),
        "scene": naming.scene(home, str(params.get("scene", ""))),
        "duration": float(params.get("duration_s") or 0),
        "city": str(params.get("city") or ""),
        "day": {"what": "word", "of": "reply.days", "name": str(params.get("day") or "")},
        "item": str(params.get("item", "")),
        "list": {"what": "word", "of": "lists", "name": str(params.get("list", "shopping"))},
    }
    said = Said(f"reply.{'ask' if ask and intent in ASKED else 'promise'}.{key}", fields)
    when = {name: params[name] for name in ("repeat", "at", "delay_s") if params.get(name)}
    if not when:
        return said
    return Said("reply.timed", {"when": {"what": "when", **when}, "promise": said.to_json()})


def _not_found(not_found: Sequence[str], why: Sequence[Interpretation]) -> list[Said]:
    """What was not found: a word no list knows is asked about ("'펜트하우스'가 뭔지 모르겠어요."), a room or
    a kind the home lacks is said not found ("식기세척기를 찾지 못했어요.")."""
    unknown = {name for o in why if o.reason == "not_found" and o.unread for name in o.not_found}
    names = list(dict.fromkeys(not_found))
    asked, lacking = [n for n in names if n in unknown], [n for n in names if n not in unknown]
    parts = []
    if asked:
        parts.append(Said("reply.slip_ask", {"said": ", ".join(f"'{n}'" for n in asked)}))
    if lacking:
        parts.append(Said("reply.not_found", {"names": ", ".join(lacking)}))
    return parts


def _nothing(why: Sequence[Interpretation]) -> Said:
    reasons = [o.reason for o in why]
    if "negated" in reasons or "keep" in reasons:
        return Said("reply.negated")
    talk = next((o.detail for o in why if o.reason == "smalltalk"), None)
    if talk is not None:
        return Said(f"reply.smalltalk.{talk}")
    return Said("reply.nothing")


def _lacking(home: Home, outcome: Interpretation) -> Said:
    """ "거실 TV에는 밝기 설정이 없어요." (or "…의 색을 그 값으로 맞출 수 없어요."): said once, for all."""
    fields = {"targets": naming.targets(home, [d.id for d in outcome.devices]), "prop": naming.prop(outcome.detail)}
    return Said("reply.lacking" if outcome.reason == "no_property" else "reply.bad_value", fields)


def choice_question(home: Home, devices: Sequence[Device]) -> Said:
    """ "거실 에어컨이요, 안방 에어컨이요?": which of the rooms' devices the person means."""
    kind = naming.kind_of(devices)
    places: dict[str, dict[str, Any]] = {}
    for device in devices:
        room = home.room(device.room) if device.room else None
        place: dict[str, Any] = {"name": device.name}
        if room is not None:  # the aliases give an English reply the room's English name, when it has one
            place = {"room": room.name, "aliases": list(room.aliases), "kind": kind}
        places.setdefault(room.id if room is not None else device.id, place)
    if len(places) > MAX_NAMED:
        names = ", ".join(p.get("room") or p["name"] for p in places.values())
        return Said("reply.choose_many", {"kind": naming.kind(kind), "places": names})
    return Said("reply.choose", {"options": {"what": "options", "items": list(places.values())}})


def slip_note(slip: Slip) -> Said:
    """ "'블'을 '불'로 알아들었어요." (a slip read as meant), or "'블'이 뭔지 모르겠어요." (asked about)."""
    said, meant = f"'{slip.said}'", f"'{slip.meant}'"
    return (
        Said("reply.slip_ask", {"said": said}) if slip.ask else Said("reply.slip_read", {"said": said, "meant": meant})
    )


def refusal(code: str) -> Said:
    """Why a request was not read (unknown_room, too_long, bad_request, failed)."""
    return Said(f"reply.refused.{code}", {"limit": f"{MAX_CHARS:,}"})


def describe_results(home: Home, commands: Sequence[Command], results: Sequence[Any]) -> list[Said]:
    """The reply after acting, from each command's `TargetResult`s (a list per command, or one flat list)."""
    return describe(home, commands, _per_command(commands, results))


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
