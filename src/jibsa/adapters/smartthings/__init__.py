"""Samsung SmartThings devices through SmartThings' REST API: listed with their rooms, mapped to
jibsa types by category and capability, controlled and polled. Settings: `smartthings: {token, base_url}`."""

from jibsa.adapters.cloud import AccountError, RetryPolicy
from jibsa.adapters.smartthings.adapter import DEVICE_OPTION, SmartThingsAdapter, SmartThingsSettings, create_adapter

__all__ = [
    "DEVICE_OPTION", "AccountError", "RetryPolicy", "SmartThingsAdapter", "SmartThingsSettings", "create_adapter",
]  # fmt: skip
