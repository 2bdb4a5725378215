"""The hub's side of one announced entity: which topics carry its state, how a state message
reads as jibsa values, and which messages carry out an action. One class per HA component."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from jibsa.adapters.mqtt.discovery import DiscoveryConfig
from jibsa.adapters.mqtt.templates import render
from jibsa.domain import DeviceAction, DeviceType
from jibsa.hub import DeviceError


class EntityDriver:
    """Base: a component's topics and payload words, read from its (expanded) config."""

    component = ""
    kind = DeviceType.SWITCH

    def __init__(self, cfg: DiscoveryConfig) -> None:
        self.cfg = cfg
        self.c: Mapping[str, Any] = cfg.config

    # -- what the hub needs ---------------------------------------------------------------------

    @property
    def measures(self) -> tuple[str, ...]:
        return ()

    def state_topics(self) -> tuple[str, ...]:
        return tuple(str(self.c[k]) for k in self._state_keys() if isinstance(self.c.get(k), str))

    @property
    def optimistic(self) -> bool:
        return not self.state_topics()

    def read(self, topic: str, payload: str) -> dict[str, Any]:
        """jibsa values in a state message; raises ValueError (or TemplateError) when it makes no sense."""
        return {}

    def write(self, action: DeviceAction) -> list[tuple[str, str]]:
        """(topic, payload) messages that carry out `action`; DeviceError when this entity cannot."""
        raise self.cannot(action)

    def assumed(self, action: DeviceAction) -> dict[str, Any]:
        """What an optimistic entity (no state topic) is taken to be after `action`."""
        if action.intent == "set" and action.property:
            return {action.property: action.value}
        return {}

    # -- helpers --------------------------------------------------------------------------------

    def _state_keys(self) -> tuple[str, ...]:
        return ("state_topic",)

    def word(self, key: str, default: str) -> str:
        return str(self.c.get(key, default))

    def command_topic(self, key: str = "command_topic") -> str:
        topic = self.c.get(key)
        if not isinstance(topic, str):
            raise DeviceError(f"{self.cfg.unique_id}: no {key} announced", "unsupported_intent")
        return topic

    def value(self, payload: str, key: str = "value_template") -> Any:
        return render(self.c.get(key), payload)

    def cannot(self, action: DeviceAction) -> DeviceError:
        what = f"{action.intent} {action.property or ''}".strip()
        return DeviceError(f"{self.cfg.component} {self.cfg.unique_id} cannot {what}", "unsupported_intent")


def on_off(driver: EntityDriver, payload: str, template_key: str = "value_template") -> bool:
    """A switch-like state payload as True/False, by the entity's own on/off words."""
    value = str(driver.value(payload, template_key)).strip()
    on = {driver.word("state_on", driver.word("payload_on", "ON")), "ON", "on", "true", "True"}
    off = {driver.word("state_off", driver.word("payload_off", "OFF")), "OFF", "off", "false", "False"}
    if value in on:
        return True
    if value in off:
        return False
    raise ValueError(f"{value!r} is neither on nor off")


def json_object(payload: str) -> dict[str, Any]:
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def number(value: Any) -> float:
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{value!r} is not a finite number")
    return result
