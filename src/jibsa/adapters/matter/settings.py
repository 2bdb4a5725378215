"""The `matter:` section of the configuration: where the controller is, and where jibsa keeps what it
knows of Matter devices (their names and rooms)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PORT = 5580  # python-matter-server's (and its matter.js successor's) WebSocket port


@dataclass(frozen=True, slots=True)
class MatterSettings:
    """`url`: the controller's WebSocket API (ws://host:5580/ws). `data_dir`: jibsa's Matter folder
    (names and rooms of commissioned devices, the controller's storage when jibsa starts it)."""

    url: str
    data_dir: Path
    command_timeout_s: float = 10.0
    commission_timeout_s: float = 120.0
    start_wait_s: float = 5.0  # how long `start` waits for the controller before going on without it

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> MatterSettings:
        """Settings from `matter: {url, data_dir, command_timeout_s, commission_timeout_s, start_wait_s}`;
        ValueError naming the field when one cannot be used."""
        url = str(raw.get("url") or f"ws://127.0.0.1:{DEFAULT_PORT}/ws")
        parts = urlsplit(url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise ValueError(f"matter.url: {url!r} is not a ws:// or wss:// address of a Matter controller")
        if not raw.get("data_dir"):
            raise ValueError("matter.data_dir: missing (jibsa sets it to DATA/matter)")
        numbers = {}
        for key in ("command_timeout_s", "commission_timeout_s", "start_wait_s"):
            if key in raw:
                numbers[key] = _seconds(raw[key], key)
        return cls(url, Path(str(raw["data_dir"])), **numbers)


def _seconds(value: Any, key: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds < 3600:
        raise ValueError(f"matter.{key}: {value!r} is not a number of seconds between 0 and 3600")
    return seconds
