"""The one table of state words (jibsa.presentation): what people read for a device's state."""

from __future__ import annotations

from typing import Any

import pytest

from jibsa.domain import DeviceType
from jibsa.domain.device_types import COLORS, TYPE_SPECS, ValueKind
from jibsa.presentation.state_words import LANGUAGES, state_words, summary
from jibsa.words import catalogue

KO, EN = state_words("ko"), state_words("en")


@pytest.mark.parametrize(
    ("kind", "state", "korean", "english"),
    [
        (DeviceType.DOOR_LOCK, {"lock": "locked"}, "잠김", "locked"),
        (DeviceType.DOOR_LOCK, {"lock": "unlocked"}, "열림", "unlocked"),
        (DeviceType.CURTAIN, {"position": 0}, "닫힘", "closed"),
        (DeviceType.BLIND, {"position": 40}, "열림 40%", "open 40%"),
        (DeviceType.GAS_VALVE, {"valve": "closed"}, "잠김", "closed"),  # locked shut, as the page says
        (DeviceType.GAS_VALVE, {"valve": "open"}, "열림", "open"),
        (
            DeviceType.LIGHT,
            {"power": True, "brightness": 80, "color": "white"},
            "켜짐 · 밝기 80% · 색 흰색",
            "on · brightness 80% · colour white",
        ),
        (DeviceType.LIGHT, {"power": False, "brightness": 80, "color": "red"}, "꺼짐", "off"),
        (
            DeviceType.AIR_CONDITIONER,
            {"power": False, "temperature": 24, "current_temperature": 27.5, "mode": "cool"},
            "꺼짐 · 현재 27.5°C",
            "off · now 27.5°C",
        ),
        (
            DeviceType.SENSOR,
            {"temperature": 24.5, "humidity": 45, "motion": False, "_walk": 3},
            "온도 24.5°C · 습도 45%",
            "temperature 24.5°C · humidity 45%",
        ),
        (
            DeviceType.SENSOR,
            {"temperature": 23.0, "humidity": 45.04},
            "온도 23°C · 습도 45%",
            "temperature 23°C · humidity 45%",
        ),  # floats as a Zigbee2MQTT sensor sends them
        (DeviceType.SENSOR, {"temperature": 22.96}, "온도 23°C", "temperature 23°C"),
        (
            DeviceType.WASHER,
            {"power": True, "run_state": "running", "remaining_time": 2520, "cycle": "표준"},
            "켜짐 · 동작 중 · 남은 시간 42분 · 코스 표준",
            "on · running · time left 42 min · cycle standard",
        ),
    ],
)
def test_states_read_as_people_say_them(kind: DeviceType, state: dict[str, Any], korean: str, english: str) -> None:
    assert KO.describe(kind, state) == korean
    assert EN.describe(kind, state) == english


def test_every_choice_and_colour_has_a_korean_word() -> None:
    choices = {c for spec in TYPE_SPECS.values() for p in spec.properties if p.kind is ValueKind.CHOICE
               for c in p.choices} | set(COLORS)  # fmt: skip
    untranslated = sorted(c for c in choices if KO.value(c) == c)
    assert untranslated == []


def test_every_property_of_every_type_is_said_in_both_languages() -> None:
    for kind, spec in TYPE_SPECS.items():
        for prop in spec.properties:
            value: Any = prop.choices[0] if prop.choices else (True if prop.kind is ValueKind.BOOL else 5)
            for words in (KO, EN):
                assert words.property(kind, prop.name, value), (kind, prop.name, words.language)


def test_the_summary_is_the_key_state_in_every_language() -> None:
    said = summary(
        DeviceType.AIR_CONDITIONER,
        {"power": True, "temperature": 24, "current_temperature": 26, "mode": "cool", "fan_speed": "auto"},
    )
    assert set(said) == set(LANGUAGES)
    assert said == {"ko": "켜짐 · 설정 24°C · 현재 26°C", "en": "on · set to 24°C · now 26°C"}


def test_roles_intents_and_errors_have_korean_words() -> None:
    assert [KO.role(r) for r in ("owner", "member", "guest")] == ["소유자", "구성원", "손님"]
    assert KO.intent("turn_off") == "끄기"
    assert KO.error("refused_for_safety") == "안전을 위해 원격으로는 할 수 없어요"


@pytest.mark.parametrize("mode", TYPE_SPECS[DeviceType.AIR_CONDITIONER].property_spec("mode").choices)  # type: ignore[union-attr]
def test_a_mode_reads_as_the_replies_say_it(mode: str) -> None:
    """An English state line says a mode as a reply does ("dry mode", not "mode drying"); Korean keeps "모드 제습"."""
    replied = catalogue("en")["reply"]["values"][mode]
    line = EN.describe(DeviceType.AIR_CONDITIONER, {"power": True, "mode": mode})
    assert replied in line and "mode mode" not in line and not line.split(" · ")[1].startswith("mode ")
    assert KO.property(DeviceType.AIR_CONDITIONER, "mode", mode) == f"모드 {catalogue('ko')['state']['values'][mode]}"
