"""LG ThinQ appliances through LG's official SDK (`thinqconnect`): listed, mapped to jibsa types,
controlled and polled. Settings: `thinq: {token, country, client_id, base_url, poll_s}`."""

from jibsa.adapters.cloud import AccountError, RetryPolicy
from jibsa.adapters.thinq.adapter import DEVICE_OPTION, ThinQAdapter, ThinQSettings, create_adapter

__all__ = ["DEVICE_OPTION", "AccountError", "RetryPolicy", "ThinQAdapter", "ThinQSettings", "create_adapter"]
