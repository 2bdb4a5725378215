"""Billing periods from the 검침일: a period runs from one reading to the day before the next."""

from __future__ import annotations

from datetime import date

import pytest

from jibsa.energy import BillingPeriod, cycle_containing, cycle_starting, previous_cycle


def test_reading_day_one_is_the_calendar_month() -> None:
    assert cycle_containing(date(2025, 7, 31)) == BillingPeriod(date(2025, 7, 1), date(2025, 8, 1))
    assert cycle_starting(2025, 12).end == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2025, 7, 14), date(2025, 6, 15), date(2025, 7, 15)),  # the day before the reading: the old period
        (date(2025, 7, 15), date(2025, 7, 15), date(2025, 8, 15)),  # the reading day starts a new one
        (date(2026, 1, 3), date(2025, 12, 15), date(2026, 1, 15)),  # across the new year
    ],
)
def test_a_mid_month_reading_day(day: date, start: date, end: date) -> None:
    assert cycle_containing(day, 15) == BillingPeriod(start, end)


def test_the_last_day_of_the_month_as_reading_day() -> None:
    # KEPCO's 말일 households: 7월분 is 6/30–7/30 (아주경제/연합뉴스 2018-08-08 on KEPCO's notice).
    assert cycle_containing(date(2018, 7, 15), 31) == BillingPeriod(date(2018, 6, 30), date(2018, 7, 31))
    feb = cycle_containing(date(2026, 2, 10), 31)
    assert feb == BillingPeriod(date(2026, 1, 31), date(2026, 2, 28)) and feb.days == 28
    assert cycle_containing(date(2024, 2, 29), 30) == BillingPeriod(date(2024, 2, 29), date(2024, 3, 30))


def test_the_previous_period() -> None:
    period = cycle_containing(date(2025, 3, 20), 15)
    assert previous_cycle(period, 15) == BillingPeriod(date(2025, 2, 15), date(2025, 3, 15))
    assert date(2025, 3, 14) not in period and date(2025, 3, 15) in period
