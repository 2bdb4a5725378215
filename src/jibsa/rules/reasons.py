"""What a rule's notification says when it was given no message: what happened, in Korean and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import Home
from jibsa.hub.notifications import rule_texts
from jibsa.nlu.josa import josa
from jibsa.rules.model import Rule, TriggerKind


def what_happened(rule: Rule, home: Home, value: Any = None, language: str = "ko") -> str:
    """"세탁기가 끝났어요." for the rule's trigger, `value` being the state value that set it off."""
    texts: Mapping[str, Any] = rule_texts()[language]
    trigger = rule.when
    device = home.device(trigger.device or "")
    name = device.name if device else (trigger.device or "")
    fill = {"device": name, "device_i": josa(name, "이") if language == "ko" else name}
    if trigger.kind is TriggerKind.FINISHED:
        return str(texts["finished"]).format(**fill)
    if trigger.kind is TriggerKind.STATE:
        return _state_words(texts, trigger.property or "", value, fill, above=trigger.above, below=trigger.below)
    if trigger.kind is TriggerKind.WEATHER:
        return str(texts["weather"][trigger.weather])
    if trigger.kind is TriggerKind.SUN:
        return str(texts["sun"][trigger.event])
    if trigger.kind is TriggerKind.CLOCK:
        return str(texts["clock"]).format(at=trigger.at)
    event = trigger.event or "arrive"
    key = event if trigger.person or event == "nobody_home" else f"anyone_{event}"
    return str(texts["presence"][key]).format(person=trigger.person or "")


def _state_words(texts: Mapping[str, Any], prop: str, value: Any, fill: dict[str, str], *, above: float | None,
                 below: float | None) -> str:
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    if above is not None:
        return str(texts["above"]).format(property=prop, value=shown, limit=f"{above:g}", **fill)
    if below is not None:
        return str(texts["below"]).format(property=prop, value=shown, limit=f"{below:g}", **fill)
    words = texts["state_words"].get(prop, {})
    if shown in words:
        return str(words[shown]).format(**fill)
    return str(texts["state_reached"]).format(property=prop, value=shown, **fill)
