"""Reading a rule back before it is saved ("세탁기가 끝나면 알려 드릴게요. 이렇게 저장할까요?"), and
answering the rule commands. The sentences are the catalogue's `readback` section (words/ko.yaml, en.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import Command, Home
from jibsa.domain.korean import clock_text
from jibsa.nlu.replies import promise
from jibsa.rules.model import RuleFormatError, sensitive_actions
from jibsa.rules.schema import read_rule
from jibsa.rules.triggers import TriggerKinds, installed_kinds
from jibsa.rules.triggers.base import Wording
from jibsa.words import catalogue, word
from jibsa.words.replies import reply_text


def _texts(language: str) -> Mapping[str, Any]:
    texts: Mapping[str, Any] = catalogue("en" if language == "en" else "ko")["readback"]
    return texts


def readback(home: Home, rule: Mapping[str, Any], language: str, kinds: TriggerKinds | None = None) -> str:
    """The rule in one or two plain sentences, then the question whether to save it."""
    t = _texts(language)
    kinds = kinds or installed_kinds()
    actions = []
    for action in rule["do"]:
        if action["kind"] == "notify":
            to = action.get("to")
            actions.append(t["notify_to"].format(person=to[0]) if to else t["notify"])
        elif action["kind"] in ("command", "scene"):
            command = (
                Command.from_dict(action)
                if action["kind"] == "command"
                else Command("run_scene", (), {"scene": action["scene"]})
            )
            actions.append(reply_text(promise(home, [command]), language))
    when = _when(home, rule["when"], t, language, kinds)
    if _sensitive(home, rule, kinds):
        actions.append(str(t["confirm_needed"]))
    conditions = [_condition(home, c, t, language) for c in rule.get("if", [])]
    only = str(t["only"]).format(conditions=(" and " if language == "en" else ", ").join(conditions))
    if language == "en":
        return f"{when[0].upper()}{when[1:]}{', ' + only if conditions else ''}, {' '.join(actions)} {t['ask']}"
    return f"{when} {only + ' ' if conditions else ''}{' '.join(actions)} {t['ask']}"


def _sensitive(home: Home, rule: Mapping[str, Any], kinds: TriggerKinds) -> bool:
    try:
        return bool(sensitive_actions(read_rule(rule, home, kinds=kinds), home))
    except RuleFormatError:
        return False


def _names(home: Home, part: Mapping[str, Any], t: Mapping[str, Any]) -> dict[str, str]:
    device = home.device(str(part.get("device", "")))
    prop = str(part.get("property", ""))
    return {"device": device.name if device else "", "property": str(t.get("properties", {}).get(prop, prop))}


def _condition(home: Home, condition: Mapping[str, Any], t: Mapping[str, Any], language: str) -> str:
    words, kind = t["conditions"], condition["kind"]
    fill = _names(home, condition, t)
    if kind == "presence":
        return word(str(words[condition["presence"]]), {"person": condition.get("person") or ""}, language)
    if kind == "time":
        return str(words["time"]).format(after=condition.get("after", "00:00"), before=condition.get("before", "24:00"))
    if kind == "weekday":
        return str(words[condition["days"]])
    if kind != "state":
        raise ValueError(f"no words for a {kind!r} condition")
    for side in ("above", "below"):
        if side in condition:
            return word(str(words[side]), {"limit": f"{condition[side]:g}", **fill}, language)
    value = words["values"].get(str(condition.get("is")), str(condition.get("is")))
    return word(str(words["state"]), {"value": value, **fill}, language)


def _when(home: Home, when: Mapping[str, Any], t: Mapping[str, Any], language: str, kinds: TriggerKinds) -> str:
    kind = kinds.get(when["kind"])
    if kind is None:
        return str(when["kind"])
    return kind.read_back(when, Wording(t, kind.own_words(language, "read_back"), language, home))


def _why(answer: Mapping[str, Any], t: Mapping[str, Any], language: str, kinds: TriggerKinds) -> str:
    """ "해가 져서 '정원등 자동 켜기' 규칙이 오후 6시 12분에 켰어요." from `explain`'s answer."""
    ko = language != "en"
    if "at" not in answer:
        return str(t["none"]).format(device=answer["name"])
    time = clock_text(answer["time"]) if ko else answer["time"]
    changed = answer.get("changed", {})
    key = next((f"{p}:{changed[p]}" for p in ("power", "lock", "valve") if p in changed), "")
    did = str(t["did"].get(key, t["did"][""]))
    cause = answer.get("cause") or {}
    via = str(cause.get("via", ""))
    if not cause:
        return str(t["device"]).format(time=time)
    if via.startswith("rule:"):
        rule = answer.get("rule")
        if not rule:
            return str(t["rule_gone"]).format(time=time, did=did)
        because = _because(rule, t["because"], language, kinds)
        return str(t["rule"]).format(because=because, rule=rule["name"], time=time, did=did)
    channel = via.split(":", 1)[0]
    if channel == "schedule":
        return str(t["schedule"]).format(person=cause.get("by", ""), time=time, did=did)
    how = t["how"].get(channel, "")
    said = str(t["person"]).format(person=cause.get("by", ""), how=how, time=time, did=did).replace("  ", " ")
    voice = cause.get("voice")
    if voice is None:
        return said
    return f"{said} {t['voice'].format(voice=voice) if voice else t['stranger']}"


def _because(rule: Mapping[str, Any], words: Mapping[str, Any], language: str, kinds: TriggerKinds) -> str:
    kind = kinds.get(rule["when"]["kind"])
    if kind is None:
        return ""
    wording = Wording(words, kind.own_words(language, "because"), language)
    return kind.because(rule["when"], str(rule.get("device_name", "")), wording)


def describe_rule_outcome(
    intent: str, answer: Mapping[str, Any], error: str | None, language: str, kinds: TriggerKinds | None = None
) -> str:
    """The answer to add_rule, list_rules, enable_rule, disable_rule, remove_rule and why."""
    t = _texts(language)
    if error:
        return str(t["errors"].get(error, "")).format(problem=answer.get("problem", ""))
    if intent == "why":
        return _why(answer, t["why"], language, kinds or installed_kinds())
    if intent == "add_rule":
        return str(t["saved"]).format(name=answer.get("name", ""))
    if intent == "list_rules":
        rules, jobs = answer.get("rules", []), answer.get("jobs", [])
        said = t["listed"].format(count=len(rules), names=", ".join(r["name"] for r in rules)) if rules else t["none"]
        return f"{said} {t['jobs'].format(count=len(jobs))}" if jobs else str(said)
    return str(t["changed"][intent]).format(names=", ".join(answer.get("changed", [])))
