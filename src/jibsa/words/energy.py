"""Energy in words, from the catalogue's `energy` section (words/ko.yaml, en.yaml): the lines of a bill,
dates and tiers, in Korean or English. The energy package hands out facts (a bill's `to_dict()`, an
error's code and values); they are worded here, at the edges that read them (the CLI, the energy skill,
the energy rules)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from jibsa.words.catalogue import catalogue

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


class CodedError(Protocol):
    """An error that says what went wrong as a code and its values (jibsa.energy.EnergyError)."""

    code: str
    values: dict[str, Any]


def words(language: str) -> dict[str, Any]:
    """The energy words of `language` (Korean unless "en")."""
    table: dict[str, Any] = catalogue("en" if language == "en" else "ko")["energy"]
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


def bill_lines(bill: Mapping[str, Any], language: str) -> list[str]:
    """The bill (a `Bill.to_dict()`) as the CLI prints it: a header, the parts of a split period, one line
    per charge."""
    said = words(language)
    period = bill["period"]
    header = str(said["bill_header"]).format(
        start=date_text(date.fromisoformat(period["start"]), language),
        end=date_text(date.fromisoformat(period["end"]), language),
        days=period["days"],
        voltage=said["voltage"][bill["voltage"]],
        kwh=kwh_text(float(bill["kwh"])),
        tier=tier_text(int(bill["tier"]), language),
    )
    lines = [header]
    if len(bill["parts"]) > 1:
        lines += [
            str(said["bill_part"]).format(
                start=date_text(date.fromisoformat(p["start"]), language),
                days=p["days"],
                season=said["season"][p["season"]],
                tier=tier_text(int(p["tier"]), language),
            )
            for p in bill["parts"]
        ]
    labels = {part: str(said["parts"][part]) for part in BILL_PARTS}
    width = max(_width(label) for label in labels.values())
    lines += [
        str(said["bill_line"]).format(label=label + " " * (width - _width(label)), won=won(bill[part]))
        for part, label in labels.items()
    ]
    return lines


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide letters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def error_text(error: CodedError, language: str) -> str:
    """The error in `language`'s words when it has a code there, else its own message."""
    template = words(language)["errors"].get(error.code)
    return str(template).format(**error.values) if template else str(error)
