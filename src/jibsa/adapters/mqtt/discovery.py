"""Reading Home Assistant MQTT discovery messages: topic, abbreviations, `~`, device block, availability.

Pure: bytes in, a `DiscoveryConfig` out, or `DiscoveryError` saying what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

COMPONENTS = frozenset(
    {"light", "switch", "fan", "climate", "cover", "lock", "valve", "sensor", "binary_sensor", "vacuum", "button",
     "humidifier"}
)  # fmt: skip
_TOPIC = re.compile(r"^(?P<prefix>.+?)/(?P<component>[\w-]+)/(?:(?P<node>[\w-]+)/)?(?P<object>[\w-]+)/config$")


class DiscoveryError(ValueError):
    """A discovery message that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Availability:
    topic: str
    payload_available: str = "online"
    payload_not_available: str = "offline"
    value_template: str | None = None


@dataclass(frozen=True)
class DiscoveryConfig:
    """One announced entity. `config` has every key expanded and every `~` resolved."""

    topic: str
    component: str
    object_id: str
    node_id: str | None
    config: Mapping[str, Any]
    device: Mapping[str, Any] = field(default_factory=dict)
    availability: tuple[Availability, ...] = ()
    availability_mode: str = "latest"

    @property
    def unique_id(self) -> str:
        return str(self.config.get("unique_id") or f"{self.node_id or ''}_{self.object_id}".strip("_"))

    @property
    def device_key(self) -> str:
        """What groups entities into one device: its first identifier, else the entity itself."""
        identifiers = self.device.get("identifiers")
        if isinstance(identifiers, list) and identifiers:
            return str(identifiers[0])
        if isinstance(identifiers, str) and identifiers:
            return identifiers
        return self.unique_id


@cache
def _abbreviations() -> tuple[dict[str, str], dict[str, str]]:
    text = resources.files("jibsa.adapters.mqtt").joinpath("abbreviations.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return data["entity"], data["device"]


def parse_topic(topic: str) -> tuple[str, str | None, str] | None:
    """(component, node_id, object_id) of a config topic, or None when it is not one."""
    match = _TOPIC.match(topic)
    if match is None:
        return None
    return match.group("component"), match.group("node"), match.group("object")


def expand(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Abbreviated keys spelled out (in the device block and availability list too), `~` resolved."""
    entity_keys, device_keys = _abbreviations()
    out = {entity_keys.get(k, k): v for k, v in payload.items()}
    if isinstance(out.get("device"), Mapping):
        out["device"] = {device_keys.get(k, k): v for k, v in out["device"].items()}
    if isinstance(out.get("availability"), list):
        out["availability"] = [
            {entity_keys.get(k, k): v for k, v in item.items()} if isinstance(item, Mapping) else item
            for item in out["availability"]
        ]
    base = out.pop("~", None)
    if isinstance(base, str):
        out = _with_base(out, base)
    return out


def _with_base(config: dict[str, Any], base: str) -> dict[str, Any]:
    def resolve(value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith("~"):
                return base + value[1:]
            if value.endswith("~"):
                return value[:-1] + base
        return value

    out = {k: resolve(v) if k.endswith("topic") else v for k, v in config.items()}
    if isinstance(out.get("availability"), list):
        out["availability"] = [
            {k: resolve(v) if k == "topic" else v for k, v in item.items()} if isinstance(item, Mapping) else item
            for item in out["availability"]
        ]
    return out


def parse_config(topic: str, payload: bytes) -> DiscoveryConfig | None:
    """The entity a config message announces; None for an empty payload (the entity is removed)."""
    where = parse_topic(topic)
    if where is None:
        raise DiscoveryError("not a discovery config topic")
    component, node, object_id = where
    if not payload:
        return None
    if component not in COMPONENTS:
        raise DiscoveryError(f"component {component!r} is not one jibsa maps")
    try:
        raw = json.loads(payload)
    except (UnicodeDecodeError, ValueError):
        raise DiscoveryError("payload is not JSON") from None
    if not isinstance(raw, Mapping):
        raise DiscoveryError("payload is not a JSON object")
    config = expand(raw)
    device = config.get("device") if isinstance(config.get("device"), Mapping) else {}
    return DiscoveryConfig(
        topic,
        component,
        object_id,
        node,
        config,
        dict(device or {}),
        _availability(config),
        str(config.get("availability_mode", "latest")),
    )


def _availability(config: Mapping[str, Any]) -> tuple[Availability, ...]:
    available = str(config.get("payload_available", "online"))
    missing = str(config.get("payload_not_available", "offline"))
    found: list[Availability] = []
    if isinstance(config.get("availability_topic"), str):
        found.append(
            Availability(config["availability_topic"], available, missing, config.get("availability_template"))
        )
    for item in config.get("availability") or []:
        if isinstance(item, Mapping) and isinstance(item.get("topic"), str):
            found.append(
                Availability(
                    item["topic"],
                    str(item.get("payload_available", available)),
                    str(item.get("payload_not_available", missing)),
                    item.get("value_template"),
                )
            )
    return tuple(found)
