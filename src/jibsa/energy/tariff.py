"""A tariff as its data file says it (`jibsa/data/tariffs/<id>.yaml`): versions of tiers by voltage and
season, the charges beside the tariff with the dates they changed, and how each part of a bill is
rounded. Reading the file checks it whole; a wrong file is refused naming the file and the field."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.energy.errors import TariffError

DEFAULT_TARIFF = "kepco-residential"
CHARGES = ("climate_environment", "fuel_cost_adjustment", "fund", "vat")
ROUNDED_PARTS = ("base", "energy", "climate_environment", "fuel_cost_adjustment", "vat", "fund", "total")


class Voltage(StrEnum):
    LOW = "low"  # 저압
    HIGH = "high"  # 고압


class Season(StrEnum):
    SUMMER = "summer"  # 하계
    WINTER = "winter"  # 동계
    OTHER = "other"  # 기타계절


class Rounding(StrEnum):
    FLOOR_WON = "floor_won"  # 원 미만 절사
    HALF_UP_WON = "half_up_won"  # 원 미만 4사5입
    FLOOR_10_WON = "floor_10_won"  # 10원 미만 절사

    def apply(self, amount: Fraction) -> int:
        """`amount` in whole won as this rule rounds it (cutting is towards zero, as a bill cuts)."""
        if self is Rounding.FLOOR_WON:
            return int(amount)
        if self is Rounding.FLOOR_10_WON:
            return int(amount / 10) * 10
        half = Fraction(1, 2) if amount >= 0 else Fraction(-1, 2)
        return int(amount + half)


@dataclass(frozen=True, slots=True)
class Tier:
    """`rate` 원/kWh for the kWh up to `up_to` (None: no end); `base` 원 when the month reaches it."""

    up_to: Fraction | None
    base: Fraction
    rate: Fraction


@dataclass(frozen=True)
class TariffVersion:
    start: date
    tiers: Mapping[tuple[Voltage, Season], tuple[Tier, ...]]
    source: str


@dataclass(frozen=True, slots=True)
class Dated:
    """A value in force from `start` until the next one's start."""

    start: date
    value: Fraction


@dataclass(frozen=True)
class Tariff:
    id: str
    name: Mapping[str, str]
    seasons: Mapping[int, Season]  # month -> season
    versions: tuple[TariffVersion, ...]  # oldest first
    charges: Mapping[str, tuple[Dated, ...]]  # oldest first
    rounding: Mapping[str, Rounding]

    @property
    def first_day(self) -> date:
        """The first day of use this file can bill."""
        return self.versions[0].start

    def season_of(self, day: date) -> Season:
        return self.seasons[day.month]

    def version_on(self, day: date) -> TariffVersion:
        """The version in force on `day`; TariffError before the first."""
        found = [v for v in self.versions if v.start <= day]
        if not found:
            raise TariffError(
                f"{self.id}: no tariff before {self.first_day.isoformat()} (asked for {day.isoformat()})",
                "too_early",
                {"first_day": self.first_day.isoformat(), "day": day.isoformat()},
            )
        return found[-1]

    def tiers_on(self, day: date, voltage: Voltage) -> tuple[Tier, ...]:
        return self.version_on(day).tiers[(voltage, self.season_of(day))]

    def charge_on(self, name: str, day: date) -> Fraction:
        """A charge (`CHARGES`) in force on `day`."""
        found = [c for c in self.charges[name] if c.start <= day]
        if not found:
            raise TariffError(
                f"{self.id}: charges.{name} has no value for {day.isoformat()}",
                "too_early",
                {"first_day": self.charges[name][0].start.isoformat(), "day": day.isoformat()},
            )
        return found[-1].value

    def terms_on(self, day: date, voltage: Voltage) -> tuple[object, ...]:
        """What a bill's day depends on, but for the fuel adjustment (which is not split by days): days
        with equal terms are billed alike."""
        return (
            self.season_of(day),
            self.version_on(day).start,
            *(self.charge_on(name, day) for name in ("climate_environment", "fund", "vat")),
        )


@cache
def load_tariff(tariff_id: str = DEFAULT_TARIFF) -> Tariff:
    """One of the tariffs jibsa ships (`jibsa/data/tariffs/<id>.yaml`)."""
    name = f"{tariff_id}.yaml"
    try:
        text = resources.files("jibsa.data.tariffs").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TariffError(f"no tariff '{tariff_id}'", "unknown_tariff", {"tariff": tariff_id}) from None
    return read_tariff(text, f"jibsa/data/tariffs/{name}")


def read_tariff(text: str, source: str) -> Tariff:
    """The tariff in `text` (YAML); TariffError naming `source` and the field when it is wrong."""
    data = _mapping(yaml.safe_load(text), source, "(top level)")
    seasons = _seasons(data.get("seasons"), source)
    versions = tuple(
        _version(v, seasons, source, f"versions[{i}]")
        for i, v in enumerate(_list(data.get("versions"), source, "versions"))
    )
    if not versions or any(a.start >= b.start for a, b in itertools.pairwise(versions)):
        raise TariffError(f"{source}: versions: at least one, oldest first, each with a later `from`")
    charges = {
        name: _dated(data.get("charges", {}).get(name), source, f"charges.{name}", versions[0].start)
        for name in CHARGES
    }
    rounding = _rounding(data.get("rounding"), source)
    names = _mapping(data.get("name"), source, "name")
    return Tariff(
        str(data.get("id") or ""), {k: str(v) for k, v in names.items()}, seasons, versions, charges, rounding
    )


def _mapping(value: Any, source: str, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TariffError(f"{source}: {field}: expected a mapping")
    return value


def _list(value: Any, source: str, field: str) -> Sequence[Any]:
    if not isinstance(value, list) or not value:
        raise TariffError(f"{source}: {field}: expected a non-empty list")
    return value


def _number(value: Any, source: str, field: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TariffError(f"{source}: {field}: expected a number, got {value!r}")
    return Fraction(str(value))  # the decimal as written: 214.6, not its binary neighbour


def _date(value: Any, source: str, field: str) -> date:
    if not isinstance(value, date):
        raise TariffError(f"{source}: {field}: expected a date (YYYY-MM-DD), got {value!r}")
    return value


def _seasons(raw: Any, source: str) -> dict[int, Season]:
    out: dict[int, Season] = {}
    for name, months in _mapping(raw, source, "seasons").items():
        try:
            season = Season(name)
        except ValueError:
            raise TariffError(f"{source}: seasons.{name}: not one of {[s.value for s in Season]}") from None
        for month in _list(months, source, f"seasons.{name}"):
            if month in out or not isinstance(month, int) or not 1 <= month <= 12:
                raise TariffError(f"{source}: seasons.{name}: {month!r} is not a month, or is in two seasons")
            out[month] = season
    if len(out) != 12:
        missing = sorted(set(range(1, 13)) - set(out))
        raise TariffError(f"{source}: seasons: every month 1–12 in one season; missing {missing}")
    return out


def _version(raw: Any, seasons: Mapping[int, Season], source: str, field: str) -> TariffVersion:
    data = _mapping(raw, source, field)
    voltages = _mapping(data.get("voltages"), source, f"{field}.voltages")
    tiers: dict[tuple[Voltage, Season], tuple[Tier, ...]] = {}
    for voltage in Voltage:
        by_season = _mapping(voltages.get(voltage.value), source, f"{field}.voltages.{voltage.value}")
        for season in set(seasons.values()):
            where = f"{field}.voltages.{voltage.value}.{season.value}"
            tiers[(voltage, season)] = _tiers(by_season.get(season.value), source, where)
    return TariffVersion(_date(data.get("from"), source, f"{field}.from"), tiers, str(data.get("source") or ""))


def _tiers(raw: Any, source: str, field: str) -> tuple[Tier, ...]:
    tiers = []
    for i, item in enumerate(_list(raw, source, field)):
        entry = _mapping(item, source, f"{field}[{i}]")
        up_to = entry.get("up_to")
        tiers.append(
            Tier(
                None if up_to is None else _number(up_to, source, f"{field}[{i}].up_to"),
                _number(entry.get("base"), source, f"{field}[{i}].base"),
                _number(entry.get("rate"), source, f"{field}[{i}].rate"),
            )
        )
    bounds = [t.up_to for t in tiers]
    if bounds[-1] is not None or None in bounds[:-1]:
        raise TariffError(f"{source}: {field}: every tier but the last has `up_to`; the last has none")
    limits = [b for b in bounds if b is not None]
    if any(b <= a for a, b in zip([Fraction(0), *limits], limits, strict=False)):
        raise TariffError(f"{source}: {field}: `up_to` must rise from tier to tier")
    return tuple(tiers)


def _dated(raw: Any, source: str, field: str, first_day: date) -> tuple[Dated, ...]:
    values = []
    for i, item in enumerate(_list(raw, source, field)):
        entry = _mapping(item, source, f"{field}[{i}]")
        value = entry.get("per_kwh", entry.get("rate"))
        values.append(
            Dated(_date(entry.get("from"), source, f"{field}[{i}].from"), _number(value, source, f"{field}[{i}]"))
        )
    if any(a.start >= b.start for a, b in itertools.pairwise(values)):
        raise TariffError(f"{source}: {field}: oldest first, each with a later `from`")
    if values[0].start > first_day:
        raise TariffError(f"{source}: {field}: starts after the first version ({first_day.isoformat()})")
    return tuple(values)


def _rounding(raw: Any, source: str) -> dict[str, Rounding]:
    data = _mapping(raw, source, "rounding")
    out = {}
    for part in ROUNDED_PARTS:
        try:
            out[part] = Rounding(str(data.get(part)))
        except ValueError:
            raise TariffError(f"{source}: rounding.{part}: one of {[r.value for r in Rounding]}") from None
    return out
