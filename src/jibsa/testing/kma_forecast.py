"""The weather the KMA stand-in reports: a plan per grid point and day (sky, precipitation,
chance, low, high, humidity), turned into items of the documented shape for each operation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

DAYS_AHEAD = 3  # getVilageFcst reaches the end of the third day after its base date


@dataclass(frozen=True)
class DayPlan:
    """One day at one grid point. sky: 1 맑음, 3 구름많음, 4 흐림; pty: 0 none, 1 rain, 2 rain/snow,
    3 snow, 4 shower; pop: chance of precipitation in %."""

    sky: int = 1
    pty: int = 0
    pop: int = 10
    low: float = 3.0
    high: float = 12.0
    humidity: int = 55
    wind: float = 2.1

    def temperature(self, hour: int) -> float:
        """Lowest at 06, highest at 15, in between linearly: KMA's TMN/TMX hours."""
        if 6 <= hour <= 15:
            return round(self.low + (self.high - self.low) * (hour - 6) / 9, 1)
        since = (hour - 15) % 24
        return round(self.high - (self.high - self.low) * since / 15, 1)


class ForecastPlans:
    """Plans per (nx, ny, day); a day nobody planned is the default plan, shifted by latitude."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, int, date], DayPlan] = {}

    def set(self, nx: int, ny: int, day: date, plan: DayPlan) -> None:
        self._plans[(nx, ny, day)] = plan

    def get(self, nx: int, ny: int, day: date) -> DayPlan:
        shift = (100 - ny) / 10  # further south is warmer
        return self._plans.get((nx, ny, day)) or DayPlan(low=round(3.0 + shift, 1), high=round(12.0 + shift, 1))


def _item(base: datetime, at: datetime, grid: tuple[int, int], category: str, value: Any) -> dict[str, Any]:
    return {
        "baseDate": base.strftime("%Y%m%d"),
        "baseTime": base.strftime("%H%M"),
        "category": category,
        "fcstDate": at.strftime("%Y%m%d"),
        "fcstTime": at.strftime("%H%M"),
        "fcstValue": str(value),
        "nx": grid[0],
        "ny": grid[1],
    }


def village_items(plans: ForecastPlans, base: datetime, nx: int, ny: int) -> list[dict[str, Any]]:
    """getVilageFcst: every hour after the base to the end of the third day after it."""
    out: list[dict[str, Any]] = []
    end = datetime.combine(base.date() + timedelta(days=DAYS_AHEAD + 1), datetime.min.time())
    at = base + timedelta(hours=1)
    while at < end:
        plan = plans.get(nx, ny, at.date())
        for category, value in (
            ("TMP", plan.temperature(at.hour)),
            ("SKY", plan.sky),
            ("PTY", plan.pty),
            ("POP", plan.pop),
            ("REH", plan.humidity),
            ("WSD", plan.wind),
            ("PCP", "1.0mm" if plan.pty else "강수없음"),
        ):
            out.append(_item(base, at, (nx, ny), category, value))
        if at.hour == 6:
            out.append(_item(base, at, (nx, ny), "TMN", plan.low))
        if at.hour == 15:
            out.append(_item(base, at, (nx, ny), "TMX", plan.high))
        at += timedelta(hours=1)
    return out


def next_hours_items(plans: ForecastPlans, base: datetime, nx: int, ny: int) -> list[dict[str, Any]]:
    """getUltraSrtFcst: the six hours after the base (HH:30), on the hour."""
    out: list[dict[str, Any]] = []
    for step in range(1, 7):
        at = (base + timedelta(hours=step)).replace(minute=0)
        plan = plans.get(nx, ny, at.date())
        for category, value in (
            ("T1H", plan.temperature(at.hour)),
            ("SKY", plan.sky),
            ("PTY", plan.pty),
            ("REH", plan.humidity),
            ("RN1", "1mm" if plan.pty else "강수없음"),
        ):
            out.append(_item(base, at, (nx, ny), category, value))
    return out


def observed_items(plans: ForecastPlans, base: datetime, nx: int, ny: int) -> list[dict[str, Any]]:
    """getUltraSrtNcst: what was measured at the base hour (obsrValue, no fcstDate)."""
    plan = plans.get(nx, ny, base.date())
    values = {
        "T1H": plan.temperature(base.hour),
        "RN1": 1.0 if plan.pty else 0,
        "REH": plan.humidity,
        "WSD": plan.wind,
        "PTY": plan.pty if plan.pty in (1, 2, 3) else 0,
    }
    return [
        {
            "baseDate": base.strftime("%Y%m%d"),
            "baseTime": base.strftime("%H%M"),
            "category": category,
            "nx": nx,
            "ny": ny,
            "obsrValue": str(value),
        }
        for category, value in values.items()
    ]
