"""A device's state in the words people use, in Korean or English: the catalogue's `state` section (words/<lang>.yaml)
that the CLI and the API's device summaries share.

"잠김"/"열림" for a lock and a gas valve, "닫힘" for a cover at 0% and "열림 40%" otherwise, "켜짐"/"꺼짐",
colours and modes in Korean; numbers with their unit ("밝기 80%", "현재 27.5°C").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jibsa.domain.device_types import SENSOR_READINGS, DeviceType, type_spec
from jibsa.words import catalogue

LANGUAGES = ("ko", "en")
COVERS = frozenset({DeviceType.CURTAIN, DeviceType.BLIND, DeviceType.WINDOW, DeviceType.GARAGE_DOOR})
# The properties that say a device's state at a glance, in the order they are said; other types show all.
KEY_PROPERTIES: Mapping[DeviceType, tuple[str, ...]] = {
    DeviceType.LIGHT: ("power", "brightness"),
    DeviceType.AIR_CONDITIONER: ("power", "temperature", "current_temperature"),
    DeviceType.BOILER: ("power", "temperature", "current_temperature"),
    DeviceType.THERMOSTAT: ("power", "temperature", "current_temperature"),
    DeviceType.AIR_PURIFIER: ("power", "air_quality"),
    DeviceType.HUMIDIFIER: ("power", "current_humidity"),
    DeviceType.DEHUMIDIFIER: ("power", "current_humidity"),
    DeviceType.WASHER: ("power", "run_state", "remaining_time"),
    DeviceType.DRYER: ("power", "run_state", "remaining_time"),
    DeviceType.DISHWASHER: ("power", "run_state", "remaining_time"),
    DeviceType.TV: ("power", "volume"),
    DeviceType.SPEAKER: ("power", "volume"),
}
# Shown without a label: the value says what it is ("잠김", "청소 중", "닫힘").
UNLABELLED = frozenset({"power", "lock", "valve", "position", "run_state"})
# Shown only while the device is on (a light that is off has no brightness worth reading).
WHILE_ON = frozenset({"brightness", "color", "temperature", "mode", "fan_speed", "humidity", "volume", "channel",
                      "cycle", "run_state", "remaining_time"})  # fmt: skip
NUMERIC_UNITS = {"remaining_time": ""}  # shown in minutes, by its own word


def _table() -> dict[str, Any]:
    return {language: catalogue(language)["state"] for language in LANGUAGES}


def language_or_default(language: str | None) -> str:
    """`language` when jibsa speaks it, else Korean."""
    return language if language in LANGUAGES else "ko"


@dataclass(frozen=True)
class StateWords:
    """The state words of one language."""

    language: str

    @property
    def _words(self) -> Mapping[str, Any]:
        words: Mapping[str, Any] = _table()[self.language]
        return words

    def word(self, key: str) -> str:
        """A top-level word of the table ("on", "off", "unavailable")."""
        return str(self._words[key])

    def value(self, value: Any) -> str:
        """A choice value in people's words ("cool" -> "냉방"); other values as they are."""
        if isinstance(value, bool):
            return self.word("on" if value else "off")
        if isinstance(value, str):
            return str(self._words["values"].get(value, value))
        if isinstance(value, float):
            return number(value)
        return str(value)

    def role(self, role: str) -> str:
        return str(self._words["roles"].get(role, role))

    def intent(self, intent: str) -> str:
        return str(self._words["intents"].get(intent, intent))

    def error(self, code: str) -> str:
        return str(self._words["errors"].get(code, self._words["errors"]["device_error"]))

    def phrase(self, key: str, **values: Any) -> str:
        """One of the CLI's sentences, filled in ("예약 {count}건")."""
        return str(self._words["cli"][key]).format(**values)

    def minutes(self, seconds: float) -> str:
        return str(self._words["minutes"]).format(minutes=round(float(seconds) / 60))

    def property(self, device_type: DeviceType, name: str, value: Any) -> str | None:
        """One property as people say it ("밝기 80%", "닫힘", "잠김"), or None when there is nothing
        to say (a bool that is false, bookkeeping, a property jibsa has no word for)."""
        if name.startswith("_") or value is None:
            return None
        if device_type in COVERS and name == "position":
            return self._cover(value)
        if name == "valve" and value in ("open", "closed"):
            return self.word(f"valve_{value}")  # locked shut ("잠김"), as the page says, not a cover's "닫힘"
        if name == "power" and device_type is not DeviceType.SENSOR:
            return self.value(bool(value))
        label = self._label(device_type, name)
        if label is None:
            return None
        if isinstance(value, bool):
            return label if value and label else None
        if name == "remaining_time":
            return f"{label} {self.minutes(value)}" if value else None
        shown = f"{self.value(value)}{self._unit(device_type, name)}"
        if name == "mode":  # as a reply says it: "dry mode" in English, "모드 제습" in Korean
            return str(self._words["mode_shown"]).format(value=shown)
        return shown if name in UNLABELLED else f"{label} {shown}"

    def describe(self, device_type: DeviceType, state: Mapping[str, Any], *, key_only: bool = False) -> str:
        """The device's state in one line: "켜짐 · 밝기 80% · 색 흰색" (`key_only`: what matters at a glance)."""
        names = _ordered(device_type, state, key_only)
        off = state.get("power") is False and device_type is not DeviceType.SENSOR
        said = [self.property(device_type, name, state[name]) for name in names
                if not (off and name in WHILE_ON)]  # fmt: skip
        return " · ".join(s for s in said if s) or "-"

    def _cover(self, position: Any) -> str:
        if not isinstance(position, (int, float)) or position <= 0:
            return self.word("cover_closed")
        return str(self._words["cover_open"]).format(position=position)

    def _label(self, device_type: DeviceType, name: str) -> str | None:
        if name in UNLABELLED:
            return ""
        if device_type is DeviceType.SENSOR and name in self._words["sensor_labels"]:
            return str(self._words["sensor_labels"][name])
        label = self._words["labels"].get(name)
        return None if label is None else str(label)

    @staticmethod
    def _unit(device_type: DeviceType, name: str) -> str:
        if name in NUMERIC_UNITS:
            return NUMERIC_UNITS[name]
        if device_type is DeviceType.SENSOR:
            spec = SENSOR_READINGS.get(name)
        else:
            spec = type_spec(device_type).property_spec(name)
        return spec.unit if spec is not None else ""


def _ordered(device_type: DeviceType, state: Mapping[str, Any], key_only: bool) -> list[str]:
    """The state's properties in the type's own order (power first), limited to the key ones."""
    order = [p.name for p in type_spec(device_type).properties] + list(SENSOR_READINGS) + sorted(state)
    if key_only and device_type in KEY_PROPERTIES:
        order = list(KEY_PROPERTIES[device_type])
    return [name for name in dict.fromkeys(order) if name in state]


def number(value: float) -> str:
    """A reading as people write it: 23.0 -> "23", 23.46 -> "23.5" (sensors over MQTT send floats)."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


@cache
def state_words(language: str) -> StateWords:
    """The words of `language` (Korean for a language jibsa does not speak)."""
    return StateWords(language_or_default(language))


def summary(device_type: DeviceType, state: Mapping[str, Any]) -> dict[str, str]:
    """The device's key state in people's words, in every language: {"ko": "...", "en": "..."}."""
    return {language: state_words(language).describe(device_type, state, key_only=True) for language in LANGUAGES}
