"""Reading one part of a rule's JSON form (the trigger, a condition, an action) field by field against
the home. Every problem raises `RuleFormatError` with the field path (``do[1].targets``) and what is
wrong, so the rules file, the API and the conversation can say it in one line."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain.commands import CommandFormatError, parse_clock
from jibsa.domain.home import Device, Home
from jibsa.rules.model import RuleFormatError


class Fields:
    """The mapping `data` found at `path` (``when``, ``if[0]``) of a rule read from `source`."""

    def __init__(self, data: Mapping[str, Any], path: str, home: Home, source: str) -> None:
        self.data = data
        self.path = path
        self.home = home
        self.source = source

    @classmethod
    def of(cls, value: Any, path: str, home: Home, source: str) -> Fields:
        """`value` read as a mapping; a value that is none fails at `path`."""
        if not isinstance(value, Mapping):
            raise RuleFormatError(source, path, "expected a mapping")
        return cls(value, path, home, source)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, problem: str, key: str | None = None) -> RuleFormatError:
        """The error for `key` (None: this part as a whole)."""
        return RuleFormatError(self.source, self.path if key is None else self.at(key), problem)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def sequence(self, key: str) -> Sequence[Any]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise self.fail("expected a list", key)
        return value

    def choice(self, key: str, allowed: Sequence[str], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value not in allowed:
            raise self.fail(f"{value!r} is not one of {', '.join(allowed)}", key)
        return str(value)

    def number(self, key: str, *, low: float | None = None, high: float | None = None) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"expected a number, got {value!r}", key)
        if not math.isfinite(value):  # NaN compares false with everything: `for_s: NaN` fired at once
            raise self.fail(f"expected a finite number, got {value!r}", key)
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(f"{value} is outside {low:g}..{high:g}", key)
        return float(value)

    def clock(self, key: str, *, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        try:
            hour, minute = parse_clock(str(value)) if isinstance(value, str) else parse_clock("")
        except CommandFormatError:
            raise self.fail(f"{value!r} is not a 24-hour time HH:MM", key) from None
        return f"{hour:02d}:{minute:02d}"

    def device(self, key: str = "device") -> Device:
        device_id = self.data.get(key)
        device = self.home.device(str(device_id)) if isinstance(device_id, str) else None
        if device is None:
            raise self.fail(f"no device {device_id!r} in this home", key)
        return device

    def property(self, device: Device) -> str:
        prop = self.data.get("property")
        if not isinstance(prop, str) or device.property_spec(prop) is None:
            known = ", ".join(p.name for p in device.spec.properties) or "none"
            raise self.fail(f"{device.id} has no property {prop!r} (it has: {known})", "property")
        return prop

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail("expected text", key)
        return value.strip()
