"""MQTT devices through Home Assistant's discovery, and jibsa's own devices announced the same way."""

from __future__ import annotations

from jibsa.adapters.mqtt.adapter import MqttAdapter
from jibsa.adapters.mqtt.url import BrokerUrl, broker_from_settings, parse_broker_url
from jibsa.hub import AdapterContext

__all__ = ["BrokerUrl", "MqttAdapter", "broker_from_settings", "create_adapter", "parse_broker_url"]


def create_adapter(ctx: AdapterContext) -> MqttAdapter:
    """The entry point: settings `url` (required), `ca_file`, `cert_file`, `key_file`, `insecure` (TLS),
    `prefix` (default homeassistant), `nodelay`."""
    return MqttAdapter(
        ctx.home,
        broker_from_settings(ctx.settings),
        prefix=str(ctx.settings.get("prefix", "homeassistant")),
        nodelay=str(ctx.settings.get("nodelay", "true")).lower() != "false",
        notes=ctx.notes,
    )
