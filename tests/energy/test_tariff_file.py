"""The tariff file is checked whole when read: a wrong one is refused naming the file and the field."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from jibsa.energy import Season, TariffError, Voltage, load_tariff
from jibsa.energy.tariff import read_tariff

TEXT = resources.files("jibsa.data.tariffs").joinpath("kepco-residential.yaml").read_text("utf-8")


def test_the_shipped_file_reads_and_says_its_seasons() -> None:
    tariff = load_tariff()
    assert tariff.season_of(date(2025, 7, 1)) is Season.SUMMER and tariff.season_of(date(2025, 12, 1)) is Season.WINTER
    assert [t.up_to for t in tariff.tiers_on(date(2025, 8, 1), Voltage.LOW)] == [300, 450, 1000, None]
    assert float(tariff.charge_on("fund", date(2025, 6, 30))) == 0.032
    assert float(tariff.charge_on("fund", date(2025, 7, 1))) == 0.027


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "- {up_to: 400, base: 1600, rate: 214.6}",
            "- {up_to: 150, base: 1600, rate: 214.6}",
            "versions[0].voltages.low.other: `up_to` must rise",
        ),
        ("rate: 120.0}", "rate: cheap}", "versions[0].voltages.low.other[0].rate: expected a number"),
        ("  summer: [7, 8]\n", "  summer: [7]\n", "seasons: every month 1–12"),
        ("fund: floor_10_won", "fund: ceil", "rounding.fund: one of"),
        ("- from: 2023-05-16\n    source", "- from: someday\n    source", "versions[0].from: expected a date"),
    ],
)
def test_a_broken_file_is_refused_naming_the_field(old: str, new: str, field: str) -> None:
    assert old in TEXT
    with pytest.raises(TariffError, match="broken.yaml: " + field.replace("[", r"\[").replace("]", r"\]")):
        read_tariff(TEXT.replace(old, new, 1), "broken.yaml")


def test_an_unknown_tariff_is_refused() -> None:
    with pytest.raises(TariffError, match="no tariff 'kepco-industrial'"):
        load_tariff("kepco-industrial")
