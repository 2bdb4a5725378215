"""The tariff file's bills against bills worked out by hand (data/bills.yaml, arithmetic written out)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from jibsa.energy import BillingPeriod, Voltage, compute_bill, cycle_starting, load_tariff

DATA = Path(__file__).parent / "data" / "bills.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(DATA.read_text("utf-8"))["cases"]


def period_of(case: dict[str, Any]) -> BillingPeriod:
    if "period" in case:
        start, end = case["period"]
        return BillingPeriod(start, end)
    year, month = (int(x) for x in str(case["month"]).split("-"))
    return cycle_starting(year, month)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_bill_is_the_one_worked_out_by_hand(case: dict[str, Any]) -> None:
    bill = compute_bill(load_tariff(), case["kwh"], period_of(case), Voltage(case.get("voltage", "low")))
    got = {key: getattr(bill, key) for key in case["expect"]}
    assert got == case["expect"]


def test_every_edge_the_issue_names_is_in_the_data() -> None:
    said = {(c["kwh"], str(c.get("month"))[5:7] in ("07", "08"), str(c.get("month")) == "2026-01") for c in CASES}
    for kwh in (200, 201, 400, 401):
        assert (kwh, False, False) in said
    for kwh in (300, 301, 450, 451):
        assert (kwh, True, False) in said
    for kwh in (1000, 1001):
        assert (kwh, False, True) in said


def test_a_split_period_names_its_parts() -> None:
    bill = compute_bill(load_tariff(), 350, BillingPeriod(date(2025, 6, 15), date(2025, 7, 15)))
    assert [(p.start, p.days, p.season.value, p.tier) for p in bill.parts] == [
        (date(2025, 6, 15), 16, "other", 2),
        (date(2025, 7, 1), 14, "summer", 2),
    ]
