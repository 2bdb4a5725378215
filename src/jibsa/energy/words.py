"""Energy in words, from `words.yaml`: the lines of a bill, dates and tiers, in Korean or English."""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.energy.billing import Bill
from jibsa.energy.errors import EnergyError

BILL_PARTS = (
    "base_won",
    "energy_won",
    "climate_won",
    "fuel_won",
    "electricity_won",
    "vat_won",
    "fund_won",
    "total_won",
)
SUPER_TIER = 4  # the tier above 1,000 kWh in winter and summer


@cache
def _table() -> dict[str, Any]:
    text = resources.files("jibsa.energy").joinpath("words.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def words(language: str) -> dict[str, Any]:
    """The words of `language` (Korean unless "en")."""
    table: dict[str, Any] = _table()["en" if language == "en" else "ko"]
    return table


def won(amount: float) -> str:
    """1600 -> "1,600"."""
    return f"{round(amount):,}"


def kwh_text(kwh: float) -> str:
    """A kWh figure as people read it: 201 -> "201", 23.46 -> "23.5"."""
    rounded = round(float(kwh), 1)
    return f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.1f}"


def date_text(day: date, language: str) -> str:
    return str(words(language)["date"]).format(year=day.year, month=day.month, day=day.day)


def tier_text(tier: int, language: str) -> str:
    said = words(language)
    return str(said["super_tier"]) if tier >= SUPER_TIER else str(said["tier"]).format(tier=tier)


def bill_lines(bill: Bill, language: str) -> list[str]:
    """The bill as the CLI prints it: a header, the parts of a split period, one line per charge."""
    said = words(language)
    header = str(said["bill_header"]).format(
        start=date_text(bill.period.start, language),
        end=date_text(bill.period.last_day, language),
        days=bill.period.days,
        voltage=said["voltage"][bill.voltage.value],
        kwh=kwh_text(float(bill.kwh)),
        tier=tier_text(bill.tier, language),
    )
    lines = [header]
    if len(bill.parts) > 1:
        lines += [
            str(said["bill_part"]).format(
                start=date_text(p.start, language),
                days=p.days,
                season=said["season"][p.season.value],
                tier=tier_text(p.tier, language),
            )
            for p in bill.parts
        ]
    labels = {part: str(said["parts"][part]) for part in BILL_PARTS}
    width = max(_width(label) for label in labels.values())
    lines += [
        str(said["bill_line"]).format(label=label + " " * (width - _width(label)), won=won(getattr(bill, part)))
        for part, label in labels.items()
    ]
    return lines


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide letters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def error_text(error: EnergyError, language: str) -> str:
    """The error in `language`'s words when it has a code there, else its own message."""
    template = words(language)["errors"].get(error.code)
    return str(template).format(**error.values) if template else str(error)
