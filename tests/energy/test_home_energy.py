"""The home file's `energy:` section: read, and refused with the file, the field and the problem."""

from __future__ import annotations

from typing import Any

import pytest

from jibsa.domain import HomeFileError, home_from_mapping
from jibsa.domain.home_energy import TARIFFS
from jibsa.energy.tariff import load_tariff
from jibsa.home_file import load_home
from jibsa.words.home_file import describe_problem

DEVICES = [
    {"id": "washer", "name": "세탁기", "type": "washer"},
    {"id": "plug", "name": "플러그", "type": "sensor", "measures": ["power", "energy"]},
]


def home(energy: Any) -> Any:
    return home_from_mapping({"rooms": [], "devices": DEVICES, "energy": energy}, "home.yaml").home


def test_the_section_is_read() -> None:
    settings = home(
        {"reading_day": "말일", "voltage": "고압", "meter": "plug", "measured_by": {"washer": "plug"}}
    ).energy
    assert (settings.reading_day, settings.voltage, settings.meter) == (31, "high", "plug")
    assert settings.measured_device("plug") == "washer" and settings.measured_device("washer") == "washer"
    assert home(None).energy is None and home({}).energy.reading_day == 1


@pytest.mark.parametrize(
    ("energy", "english", "korean"),
    [
        (
            {"reading_day": 32},
            "home.yaml: energy.reading_day: 32 is not a meter-reading day",
            "home.yaml: energy.reading_day: '32'는 검침일이 될 수 없어요",
        ),
        (
            {"voltage": "medium"},
            "home.yaml: energy.voltage: 'medium' is not a voltage",
            "home.yaml: energy.voltage: 'medium'은 모르는 전압이에요",
        ),
        (
            {"tariff": "tepco"},
            "home.yaml: energy.tariff: no tariff 'tepco'",
            "home.yaml: energy.tariff: 'tepco'라는 요금표가 없어요",
        ),
        (
            {"meter": "main"},
            "home.yaml: energy.meter: no device 'main'",
            "home.yaml: energy.meter: 'main'이라는 기기가 없어요",
        ),
        (
            {"measured_by": {"washer": "ghost"}},
            "home.yaml: energy.measured_by.washer: no device 'ghost'",
            "home.yaml: energy.measured_by.washer: 'ghost'라는 기기가 없어요",
        ),
    ],
)
def test_a_wrong_section_names_the_field(energy: dict[str, Any], english: str, korean: str) -> None:
    with pytest.raises(HomeFileError) as refused:
        home(energy)
    assert describe_problem(refused.value, "en").startswith(english)
    assert describe_problem(refused.value, "ko").startswith(korean)


def test_every_tariff_the_home_file_accepts_is_shipped() -> None:
    assert all(load_tariff(name).id == name for name in TARIFFS)


def test_the_sample_home_is_billed_on_the_15th() -> None:
    settings = load_home(None).home.energy
    assert settings is not None and (settings.reading_day, settings.voltage) == (15, "low")
