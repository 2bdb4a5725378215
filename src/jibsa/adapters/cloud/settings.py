"""The settings every cloud adapter reads besides its vendor's own (token, addresses)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .retry import RetryPolicy


def polling_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """`poll_s` (60), `timeout_s` (4), `start_wait_s` (3), `relist_s` (3600), `retry_attempts` (3),
    `retry_base_s` (0.5) and `discover` (true) from `raw`, as keyword arguments of a settings class."""
    return {
        "poll_s": float(raw.get("poll_s", 60.0)),
        "timeout_s": float(raw.get("timeout_s", 4.0)),
        "start_wait_s": float(raw.get("start_wait_s", 3.0)),
        "relist_s": float(raw.get("relist_s", 3600.0)),
        "retry": RetryPolicy(int(raw.get("retry_attempts", 3)), float(raw.get("retry_base_s", 0.5))),
        "discover": bool(raw.get("discover", True)),
    }
