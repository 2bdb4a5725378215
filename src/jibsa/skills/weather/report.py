"""What a weather source reports: the place, the weather now, a forecast per day, fine dust, and
whether these are fresh or the last values known (with the reason and their time)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml

# Conditions by severity: a day with rain at any hour is a rainy day.
CONDITION_ORDER = ("clear", "cloudy", "overcast", "drizzle", "flurries", "drizzle_snow", "shower", "rain", "sleet",
                   "snow", "thunderstorm")  # fmt: skip
WET = frozenset({"drizzle", "flurries", "drizzle_snow", "shower", "rain", "sleet", "snow", "thunderstorm"})


class UnknownCity(LookupError):
    """A city the weather sources have no place for."""


@dataclass(frozen=True)
class City:
    name: str
    name_en: str
    latitude: float
    longitude: float
    nx: int
    ny: int
    sido: str
    station: str


@dataclass(frozen=True)
class Current:
    temperature: float | None = None
    humidity: float | None = None
    wind_ms: float | None = None
    rain_mm: float | None = None
    condition: str | None = None


@dataclass(frozen=True)
class DayForecast:
    day: date
    high: float | None
    low: float | None
    rain_chance: int | None  # the highest hourly probability of precipitation, %
    condition: str
    humidity: float | None = None


@dataclass(frozen=True)
class Air:
    pm10: int | None
    pm25: int | None
    pm10_grade: int | None  # 1 좋음, 2 보통, 3 나쁨, 4 매우나쁨
    pm25_grade: int | None
    station: str
    measured_at: str


@dataclass(frozen=True)
class Stale:
    """Why the values are not fresh ("network", "key", "quota", "service") and when they were."""

    reason: str
    as_of: datetime | None
    source: str = "kma"  # the service that failed: "kma", "open_meteo", "airkorea"


@dataclass(frozen=True)
class WeatherReport:
    city: City
    current: Current | None
    days: tuple[DayForecast, ...]
    air: Air | None = None
    stale: Stale | None = None
    air_stale: Stale | None = None
    issued: datetime | None = None  # the forecast release the days come from

    def day(self, wanted: date) -> DayForecast | None:
        return next((d for d in self.days if d.day == wanted), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for answers and the HTTP API."""
        out = asdict(self)
        out["city"] = {"name": self.city.name, "name_en": self.city.name_en, "nx": self.city.nx, "ny": self.city.ny}
        out["days"] = [{**asdict(d), "day": d.day.isoformat()} for d in self.days]
        for key in ("stale", "air_stale"):
            stale = getattr(self, key)
            out[key] = (
                None
                if stale is None
                else {
                    "reason": stale.reason,
                    "as_of": stale.as_of.isoformat() if stale.as_of else None,
                    "source": stale.source,
                }
            )
        out["issued"] = self.issued.isoformat() if self.issued else None
        return out


def worst(conditions: list[str]) -> str:
    """The most severe of some hourly conditions ("clear" when there are none)."""
    return max(conditions, key=CONDITION_ORDER.index, default="clear")


@cache
def city_table() -> dict[str, Any]:
    """`data/cities.yaml` as it is: the strip's order and each city's point, grid point, province and station."""
    text = resources.files("jibsa.data").joinpath("cities.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def strip_cities() -> tuple[str, ...]:
    """The 20 cities of the dashboard's weather strip, in order."""
    return tuple(city_table()["strip"])


def known_cities() -> tuple[str, ...]:
    return tuple(city_table()["cities"])


def city(name: str) -> City:
    """The place called `name` (Korean, or its English name in any case)."""
    table: dict[str, dict[str, Any]] = city_table()["cities"]
    found = table.get(name) or next((v for v in table.values() if str(v["en"]).lower() == name.lower()), None)
    if found is None:
        raise UnknownCity(name)
    korean = name if name in table else next(k for k, v in table.items() if v is found)
    return City(
        korean,
        str(found["en"]),
        float(found["lat"]),
        float(found["lon"]),
        int(found["nx"]),
        int(found["ny"]),
        str(found["sido"]),
        str(found["station"]),
    )
