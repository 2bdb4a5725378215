"""A month's electricity bill under a tariff: the base charge of the tier reached, the energy charge
tier by tier, 기후환경요금 and 연료비조정액, then VAT and the 전력기금 on their sum, each rounded as
the tariff file says. Exact arithmetic (fractions) until each part is rounded.

A period whose days fall under different terms (a change of season or of tariff) is split by days:
each part is billed as if the whole period's use fell under its terms, weighted by its share of the
days (KEPCO's 일수계산; see the tariff file)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from jibsa.energy.cycle import BillingPeriod
from jibsa.energy.errors import EnergyError
from jibsa.energy.tariff import Season, Tariff, Tier, Voltage


@dataclass(frozen=True, slots=True)
class TierUse:
    """The kWh of a month that fall in tier `number` (1-based), billed at `rate`."""

    number: int
    kwh: Fraction
    rate: Fraction


@dataclass(frozen=True)
class BillPart:
    """The days of a period under one set of terms, and what they add (unrounded)."""

    start: date
    days: int
    season: Season
    version_from: date
    tier: int
    uses: tuple[TierUse, ...]
    base: Fraction
    energy: Fraction
    climate: Fraction
    fund_rate: Fraction
    vat_rate: Fraction


@dataclass(frozen=True)
class Bill:
    tariff: str
    kwh: Fraction
    period: BillingPeriod
    voltage: Voltage
    parts: tuple[BillPart, ...]
    base_won: int
    energy_won: int
    climate_won: int
    fuel_won: int
    electricity_won: int  # 전기요금계
    vat_won: int
    fund_won: int
    total_won: int  # 청구금액

    @property
    def tier(self) -> int:
        """The highest tier the month's use reaches (in any part of a split period)."""
        return max(p.tier for p in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tariff": self.tariff, "kwh": float(self.kwh), "voltage": self.voltage.value,
            "period": self.period.to_dict(), "tier": self.tier,
            "parts": [_part_dict(p) for p in self.parts],
            "base_won": self.base_won, "energy_won": self.energy_won, "climate_won": self.climate_won,
            "fuel_won": self.fuel_won, "electricity_won": self.electricity_won, "vat_won": self.vat_won,
            "fund_won": self.fund_won, "total_won": self.total_won,
        }  # fmt: skip


def _part_dict(part: BillPart) -> dict[str, Any]:
    return {
        "start": part.start.isoformat(),
        "days": part.days,
        "season": part.season.value,
        "tariff_from": part.version_from.isoformat(),
        "tier": part.tier,
        "tiers": [{"tier": u.number, "kwh": float(u.kwh), "rate": float(u.rate)} for u in part.uses],
        "fund_rate": float(part.fund_rate),
        "vat_rate": float(part.vat_rate),
    }


def tier_uses(kwh: Fraction, tiers: Sequence[Tier]) -> tuple[TierUse, ...]:
    """How `kwh` fills the tiers, lowest first; only tiers it reaches."""
    uses = []
    lower = Fraction(0)
    for number, tier in enumerate(tiers, start=1):
        upper = tier.up_to
        within = kwh - lower if upper is None else min(kwh, upper) - lower
        if number > 1 and within <= 0:
            break
        uses.append(TierUse(number, max(within, Fraction(0)), tier.rate))
        if upper is None:
            break
        lower = upper
    return tuple(uses)


def compute_bill(
    tariff: Tariff, kwh: Fraction | int | float, period: BillingPeriod, voltage: Voltage = Voltage.LOW
) -> Bill:
    """The bill for `kwh` used over `period`."""
    used = Fraction(str(kwh)) if isinstance(kwh, float) else Fraction(kwh)
    if used < 0 or period.days <= 0:
        raise EnergyError(
            f"a bill needs kWh ≥ 0 and a period of at least a day (got {float(used)} kWh, {period.days} days)",
            "bad_bill",
        )
    parts = tuple(_part(tariff, used, run, period.days, voltage) for run in _runs(tariff, period, voltage))
    rounding = tariff.rounding
    base = rounding["base"].apply(sum((p.base for p in parts), Fraction(0)))
    energy = rounding["energy"].apply(sum((p.energy for p in parts), Fraction(0)))
    climate = rounding["climate_environment"].apply(sum((p.climate for p in parts), Fraction(0)))
    fuel = rounding["fuel_cost_adjustment"].apply(used * tariff.charge_on("fuel_cost_adjustment", period.start))
    electricity = base + energy + climate + fuel
    share = [(p, Fraction(p.days, period.days)) for p in parts]
    vat = rounding["vat"].apply(sum((electricity * p.vat_rate * w for p, w in share), Fraction(0)))
    fund = rounding["fund"].apply(sum((electricity * p.fund_rate * w for p, w in share), Fraction(0)))
    total = rounding["total"].apply(Fraction(electricity + vat + fund))
    return Bill(tariff.id, used, period, voltage, parts, base, energy, climate, fuel, electricity, vat, fund, total)


def _runs(tariff: Tariff, period: BillingPeriod, voltage: Voltage) -> list[tuple[date, int]]:
    """The period's days in runs of equal terms: (first day, number of days)."""
    runs: list[tuple[date, int]] = []
    terms: tuple[object, ...] | None = None
    for day in period.each_day():
        now = tariff.terms_on(day, voltage)
        if now != terms:
            runs.append((day, 0))
            terms = now
        runs[-1] = (runs[-1][0], runs[-1][1] + 1)
    return runs


def _part(tariff: Tariff, used: Fraction, run: tuple[date, int], period_days: int, voltage: Voltage) -> BillPart:
    """The part of a period that `run` (first day, days) is, weighted by its share of the days."""
    start, days = run
    weight = Fraction(days, period_days)
    tiers = tariff.tiers_on(start, voltage)
    uses = tier_uses(used, tiers)
    reached = uses[-1].number
    return BillPart(
        start,
        days,
        tariff.season_of(start),
        tariff.version_on(start).start,
        reached,
        uses,
        base=tiers[reached - 1].base * weight,
        energy=sum((u.kwh * u.rate for u in uses), Fraction(0)) * weight,
        climate=used * tariff.charge_on("climate_environment", start) * weight,
        fund_rate=tariff.charge_on("fund", start),
        vat_rate=tariff.charge_on("vat", start),
    )


def tier_edges(tariff: Tariff, period: BillingPeriod, voltage: Voltage = Voltage.LOW) -> tuple[Fraction, ...]:
    """Every kWh at which the period's bill steps into a higher tier, lowest first (a split period has
    the edges of each of its parts)."""
    edges = {t.up_to for start, _ in _runs(tariff, period, voltage) for t in tariff.tiers_on(start, voltage)}
    return tuple(sorted(e for e in edges if e is not None))
