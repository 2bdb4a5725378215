"""Billing periods: KEPCO reads the meter on the household's 검침일 each month, and a bill covers the
days from one reading to the day before the next. A reading day past the month's end (29–31, 말일)
falls on the month's last day."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

LAST_DAY = 31  # 말일: the reading day of households read on the last day of each month


@dataclass(frozen=True, slots=True, order=True)
class BillingPeriod:
    """The days from `start` up to, not including, `end` (the next reading)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def each_day(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start.isoformat(), "end": self.last_day.isoformat(), "days": self.days}


def reading_date(year: int, month: int, reading_day: int) -> date:
    """The day of `month` the meter is read: the reading day, or the month's last day when shorter."""
    return date(year, month, min(reading_day, calendar.monthrange(year, month)[1]))


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def cycle_starting(year: int, month: int, reading_day: int = 1) -> BillingPeriod:
    """The period that starts on the reading day of `month` (the calendar month with reading day 1)."""
    after = _shift(year, month, 1)
    return BillingPeriod(reading_date(year, month, reading_day), reading_date(*after, reading_day))


def cycle_containing(day: date, reading_day: int = 1) -> BillingPeriod:
    """The period `day` is billed in."""
    if day >= reading_date(day.year, day.month, reading_day):
        return cycle_starting(day.year, day.month, reading_day)
    return cycle_starting(*_shift(day.year, day.month, -1), reading_day)


def previous_cycle(period: BillingPeriod, reading_day: int = 1) -> BillingPeriod:
    """The period before `period`."""
    return cycle_containing(period.start - timedelta(days=1), reading_day)
