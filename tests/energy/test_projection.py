"""The projection of a period's use: the pace carried to the end, an 80 % range, and how sure it is."""

from __future__ import annotations

import pytest

from jibsa.energy.projection import project


def test_a_steady_home_is_projected_surely() -> None:
    guess = project(100.0, 10.0, 30, [10.0] * 10)
    assert guess is not None
    assert (guess.kwh, guess.low_kwh, guess.high_kwh, guess.confidence) == (300.0, 300.0, 300.0, "high")


def test_the_range_grows_with_the_days_spread() -> None:
    # pace 40 / 4 = 10 a day, 26 days left: 40 + 260 = 300
    # spread of 8, 12, 10, 10: variance (4 + 4 + 0 + 0) / 3 = 8/3
    # deviation √(26 × 8/3 + (26² × 8/3) / 4) = √(69.33 + 450.67) = √520 = 22.80; × 1.2816 = 29.23
    guess = project(40.0, 4.0, 30, [8.0, 12.0, 10.0, 10.0])
    assert guess is not None
    assert guess.kwh == pytest.approx(300.0)
    assert (guess.low_kwh, guess.high_kwh) == (pytest.approx(270.77, abs=0.01), pytest.approx(329.23, abs=0.01))
    assert guess.confidence == "medium"  # 29.23 / 300 = 9.7 %: between 7 and 20 %


def test_early_days_are_rough_and_the_first_hour_too_early() -> None:
    early = project(15.0, 1.5, 31, [10.0])  # one whole day: its spread is not known yet
    assert early is not None and early.confidence == "low" and early.low_kwh >= 15.0
    assert project(0.2, 0.5 / 24, 31, []) is None  # half an hour into the period
