"""MQTT devices through Home Assistant's discovery, and jibsa's own devices announced the same way."""

from __future__ import annotations

from jibsa.adapters.mqtt.adapter import MqttAdapter
from jibsa.adapters.mqtt.url import BrokerUrl, parse_broker_url
from jibsa.hub import AdapterContext

__all__ = ["BrokerUrl", "MqttAdapter", "create_adapter", "parse_broker_url"]


def create_adapter(ctx: AdapterContext) -> MqttAdapter:
    """The entry point: settings `url` (required), `prefix` (default homeassistant), `nodelay`."""
    url = ctx.settings.get("url")
    if not url:
        raise ValueError("mqtt: a broker url is needed (--mqtt mqtt://host:1883, or mqtt: {url: ...})")
    return MqttAdapter(ctx.home, parse_broker_url(str(url)), prefix=str(ctx.settings.get("prefix", "homeassistant")),
                       nodelay=str(ctx.settings.get("nodelay", "true")).lower() != "false")
