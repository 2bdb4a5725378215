"""The home file's `energy:` section: how the household is billed (검침일, 저압/고압, which tariff) and
metered (a whole-home meter, and plugs or sub-meters that measure an appliance).

```yaml
energy:
  reading_day: 15            # 검침일: 1–31, or 말일 (the month's last day)
  voltage: high              # low (저압, the default) | high (고압, most newer apartments)
  tariff: kepco-residential  # the default, and the only one so far
  meter: home_meter          # optional: a device that measures the whole home
  measured_by:               # optional: appliance -> the plug or sub-meter measuring it
    washer: washer_plug
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from jibsa.domain.errors import HomeFileError

LAST_DAY_WORDS = frozenset({"말일", "last"})
LAST_DAY = 31  # a reading day past a month's end falls on its last day
VOLTAGES: Mapping[str, str] = {"low": "low", "저압": "low", "high": "high", "고압": "high"}
# The tariffs jibsa ships (the files of jibsa/data/tariffs/; a test holds the two together).
TARIFFS = frozenset({"kepco-residential"})
_KEYS = {"reading_day", "voltage", "tariff", "meter", "measured_by"}


class _Checks(Protocol):
    """What reading the energy section needs of the home file's checker (`home_schema`'s)."""

    def fail(self, path: str, code: str, **values: Any) -> HomeFileError: ...

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]: ...

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None: ...


@dataclass(frozen=True)
class EnergySettings:
    reading_day: int = 1
    voltage: str = "low"
    tariff: str = "kepco-residential"
    meter: str | None = None
    measured_by: Mapping[str, str] = field(default_factory=dict)  # appliance id -> measuring device id

    def measured_device(self, device_id: str) -> str:
        """The device whose use a reading of `device_id` is: the appliance a plug measures, else itself."""
        return self._appliance_of.get(device_id, device_id)

    @cached_property
    def _appliance_of(self) -> dict[str, str]:
        return {meter: appliance for appliance, meter in self.measured_by.items()}


def energy_settings(check: _Checks, raw: Any, device_ids: set[str]) -> EnergySettings | None:
    """The section read and checked; None when the home file has none."""
    if raw is None:
        return None
    data = check.mapping(raw, "energy")
    check.unknown_keys(data, _KEYS, "energy")
    return EnergySettings(
        reading_day=_reading_day(check, data.get("reading_day", 1)),
        voltage=_voltage(check, data.get("voltage", "low")),
        tariff=_tariff(check, data.get("tariff", "kepco-residential")),
        meter=_device(check, data.get("meter"), "energy.meter", device_ids),
        measured_by=_measured_by(check, data.get("measured_by"), device_ids),
    )


def _reading_day(check: _Checks, value: Any) -> int:
    if isinstance(value, str) and value.strip() in LAST_DAY_WORDS:
        return LAST_DAY
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LAST_DAY:
        raise check.fail("energy.reading_day", "bad_reading_day", value=value)
    return value


def _voltage(check: _Checks, value: Any) -> str:
    if str(value) not in VOLTAGES:
        raise check.fail("energy.voltage", "bad_voltage", value=value)
    return VOLTAGES[str(value)]


def _tariff(check: _Checks, value: Any) -> str:
    if str(value) not in TARIFFS:
        raise check.fail("energy.tariff", "unknown_tariff", tariff=value, tariffs=", ".join(sorted(TARIFFS)))
    return str(value)


def _device(check: _Checks, value: Any, path: str, device_ids: set[str]) -> str | None:
    if value is None:
        return None
    if str(value) not in device_ids:
        raise check.fail(path, "no_device", device=value)
    return str(value)


def _measured_by(check: _Checks, raw: Any, device_ids: set[str]) -> dict[str, str]:
    pairs = check.mapping(raw or {}, "energy.measured_by")
    out: dict[str, str] = {}
    for appliance, meter in pairs.items():
        _device(check, appliance, "energy.measured_by", device_ids)
        found = _device(check, meter, f"energy.measured_by.{appliance}", device_ids)
        if found is not None:
            out[str(appliance)] = found
    return out
