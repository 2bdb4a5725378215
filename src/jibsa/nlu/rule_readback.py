"""Reading a rule back before it is saved ("세탁기가 끝나면 알려 드릴게요. 이렇게 저장할까요?"), and
answering the rule commands. The sentences live in data/rule_phrases.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import Command, Home
from jibsa.nlu.josa import clock_text, josa
from jibsa.nlu.replies import promise
from jibsa.nlu.rule_phrases import rule_words


def _texts(language: str) -> Mapping[str, Any]:
    texts: Mapping[str, Any] = rule_words()["readback"]["en" if language == "en" else "ko"]
    return texts


def readback(home: Home, rule: Mapping[str, Any], language: str) -> str:
    """The rule in one or two plain sentences, then the question whether to save it."""
    t = _texts(language)
    actions = []
    for action in rule["do"]:
        if action["kind"] == "notify":
            to = action.get("to")
            actions.append(t["notify_to"].format(person=to[0]) if to else t["notify"])
        elif action["kind"] == "command":
            actions.append(promise(home, [Command.from_dict(action)], (), "", language=language))
    said = f"{_when(home, rule['when'], t, language)} {' '.join(actions)}"
    return f"{said[0].upper()}{said[1:]} {t['ask']}" if language == "en" else f"{said} {t['ask']}"


def _when(home: Home, when: Mapping[str, Any], t: Mapping[str, Any], language: str) -> str:
    kind = when["kind"]
    device = home.device(str(when.get("device", "")))
    name = device.name if device else ""
    fill = {"device": name, "device_i": josa(name, "이") if name and language != "en" else name}
    if kind == "finished":
        return str(t["finished"]).format(**fill)
    if kind == "state":
        for side in ("above", "below"):
            if side in when:
                return str(t[side]).format(property=when["property"], limit=f"{when[side]:g}", **fill)
        value = t["values"].get(str(when.get("to")), str(when.get("to")))
        if when.get("for_s"):
            return str(t["held"]).format(value=value, minutes=round(when["for_s"] / 60), **fill)
        return str(t["state"]).format(value=value, **fill)
    if kind in ("sun", "weather"):
        return str(t[kind][when.get("event") or when.get("weather")])
    if kind == "clock":
        return str(t["clock"]).format(at=clock_text(when["at"]) if language != "en" else when["at"])
    person = when.get("person") or t["someone"]
    return str(t["presence"][when["event"]]).format(person=josa(person, "이") if language != "en" else person)


def describe_rule_outcome(intent: str, answer: Mapping[str, Any], error: str | None, language: str) -> str:
    """The answer to add_rule, list_rules, enable_rule, disable_rule, remove_rule."""
    t = _texts(language)
    if error:
        return str(t["errors"].get(error, "")).format(problem=answer.get("problem", ""))
    if intent == "add_rule":
        return str(t["saved"]).format(name=answer.get("name", ""))
    if intent == "list_rules":
        rules, jobs = answer.get("rules", []), answer.get("jobs", [])
        said = t["listed"].format(count=len(rules), names=", ".join(r["name"] for r in rules)) if rules else t["none"]
        return f"{said} {t['jobs'].format(count=len(jobs))}" if jobs else str(said)
    return str(t["changed"][intent]).format(names=", ".join(answer.get("changed", [])))
