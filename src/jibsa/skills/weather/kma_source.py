"""The weather as KMA and AirKorea publish it: now (getUltraSrtNcst, with the sky from
getUltraSrtFcst), the days ahead (getVilageFcst) and fine dust (AirKorea), each cached until its
next release."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from jibsa.skills.weather import airkorea, kma
from jibsa.skills.weather.cache import ReleaseCache
from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.release import Operation, Release, latest_release
from jibsa.skills.weather.report import WET, Air, City, Current, DayForecast, Stale, WeatherReport, city, worst

SKY = {"1": "clear", "3": "cloudy", "4": "overcast"}
PTY = {"1": "rain", "2": "sleet", "3": "snow", "4": "shower", "5": "drizzle", "6": "drizzle_snow", "7": "flurries"}
Items = list[dict[str, Any]]


class KmaWeatherSource:
    """KMA (and AirKorea when `air_key` is given) over one HTTP client, closed by `stop`."""

    def __init__(
        self,
        service_key: str,
        *,
        air_key: str | None = None,
        kma_url: str = kma.DEFAULT_BASE_URL,
        airkorea_url: str = airkorea.DEFAULT_BASE_URL,
        timeout_s: float = 5.0,
    ) -> None:
        self._http = httpx.AsyncClient(timeout=timeout_s)
        self._kma = kma.KmaClient(self._http, service_key, kma_url)
        self._air = airkorea.AirKoreaClient(self._http, air_key, airkorea_url) if air_key else None
        self.cache: ReleaseCache[Items] = ReleaseCache()
        self.forecasts: ReleaseCache[_Forecast] = ReleaseCache()  # read once per release, not per question
        self.air_cache: ReleaseCache[Air] = ReleaseCache()

    async def stop(self) -> None:
        await self._http.aclose()

    async def report(self, city_name: str, now: datetime, *, detail: bool = True) -> WeatherReport:
        """The weather in `city_name` at `now`; `detail` adds now, the next hours and fine dust."""
        place = city(city_name)
        release = latest_release(Operation.FORECAST, now)
        forecast, stale = await self._forecast(place, release, "latest")
        current = forecast.at(now)
        air, air_stale = None, None
        if detail:
            forecast = await self._with_todays_extremes(forecast, place, release, now.date())
            observed, stale_now = await self._items(Operation.NOW, place, now)
            hours, stale_hours = await self._items(Operation.NEXT_HOURS, place, now)
            current = _current(observed, hours)
            stale = stale or stale_now or stale_hours
            air, air_stale = await self._fine_dust(place, now)
        return WeatherReport(place, current, forecast.days, air, stale, air_stale, forecast.issued)

    async def _forecast(self, place: City, release: Release, which: str) -> tuple[_Forecast, Stale | None]:
        async def fetch() -> _Forecast:
            return _Forecast.read(
                await self._kma.items(Operation.FORECAST, release, place.nx, place.ny), release.moment
            )

        return await self.forecasts.get((place.nx, place.ny, which), release, fetch)

    async def _with_todays_extremes(self, forecast: _Forecast, place: City, release: Release, today: date) -> _Forecast:
        """Today's lowest (06 h) and highest (15 h) are only in releases from before those hours, and
        late in the evening the latest release has no hour of today left: the day's 02 h release
        (asked once a day) gives today when the latest no longer does."""
        first = Release(today.strftime("%Y%m%d"), "0200")
        if release <= first:
            return forecast
        try:
            morning, _ = await self._forecast(place, first, "morning")
        except WeatherServiceError:
            return forecast  # the remaining hours' range will do
        return forecast.with_day_from(morning, today)

    async def _items(self, operation: Operation, place: City, now: datetime) -> tuple[Items, Stale | None]:
        release = latest_release(operation, now)

        async def fetch() -> Items:
            return await self._kma.items(operation, release, place.nx, place.ny)

        return await self.cache.get((operation, place.nx, place.ny), release, fetch)

    async def _fine_dust(self, place: City, now: datetime) -> tuple[Air | None, Stale | None]:
        if self._air is None:
            return None, None
        client = self._air

        async def fetch() -> Air:
            return await client.air(place.station, place.sido)

        try:
            return await self.air_cache.get(place.station, latest_release(Operation.AIR, now), fetch)
        except WeatherServiceError as exc:
            return None, Stale(exc.reason, None, exc.source)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # "강수없음", "-" and the like


def _condition(sky: Any, pty: Any) -> str | None:
    return PTY.get(str(pty)) or SKY.get(str(sky))


def _current(observed: Items, hours: Items) -> Current:
    now = {str(i.get("category")): i.get("obsrValue") for i in observed}
    first = min((str(i.get("fcstDate", "")) + str(i.get("fcstTime", "")) for i in hours), default="")
    soon = {
        str(i.get("category")): i.get("fcstValue")
        for i in hours
        if str(i.get("fcstDate", "")) + str(i.get("fcstTime", "")) == first
    }
    condition = PTY.get(str(now.get("PTY"))) or _condition(soon.get("SKY"), soon.get("PTY"))
    return Current(
        _number(now.get("T1H")), _number(now.get("REH")), _number(now.get("WSD")), _number(now.get("RN1")), condition
    )


@dataclass(frozen=True)
class _Forecast:
    """A getVilageFcst release, read: the days, and each hour's values by category."""

    days: tuple[DayForecast, ...]
    hours: Mapping[str, Mapping[str, Any]]  # "YYYYMMDDHHMM" -> {category: value}
    issued: datetime

    @classmethod
    def read(cls, items: Items, issued: datetime) -> _Forecast:
        by_day: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
        for item in items:
            by_day[str(item.get("fcstDate"))][str(item.get("fcstTime"))][str(item.get("category"))] = item.get(
                "fcstValue"
            )
        days = tuple(_day(day, hours) for day, hours in sorted(by_day.items()))
        hours = {day + time: values for day, times in by_day.items() for time, values in times.items()}
        return cls(days, hours, issued)

    def with_day_from(self, other: _Forecast, day: date) -> _Forecast:
        """This forecast with `day`'s high and low taken from `other` (an earlier release), or the
        whole day when this one has no hour of it left."""
        earlier = next((d for d in other.days if d.day == day), None)
        if earlier is None:
            return self
        if all(d.day != day for d in self.days):
            return replace(self, days=tuple(sorted((*self.days, earlier), key=lambda d: d.day)))
        days = tuple(replace(d, high=earlier.high, low=earlier.low) if d.day == day else d for d in self.days)
        return replace(self, days=days)

    def at(self, now: datetime) -> Current | None:
        """The coming hour, as "now" for places shown without detail (the strip)."""
        hour = now.replace(tzinfo=None, minute=0, second=0, microsecond=0) + timedelta(hours=1)
        values = self.hours.get(hour.strftime("%Y%m%d%H%M"))
        if not values:
            return None
        return Current(
            _number(values.get("TMP")),
            _number(values.get("REH")),
            _number(values.get("WSD")),
            None,
            _condition(values.get("SKY"), values.get("PTY")),
        )


def _day(day: str, hours: dict[str, dict[str, Any]]) -> DayForecast:
    values = list(hours.values())
    temperatures = [t for t in (_number(h.get("TMP")) for h in values) if t is not None]
    lows = [t for t in (_number(h.get("TMN")) for h in values) if t is not None]
    highs = [t for t in (_number(h.get("TMX")) for h in values) if t is not None]
    chances = [int(c) for c in (_number(h.get("POP")) for h in values) if c is not None]
    humidity = [r for r in (_number(h.get("REH")) for h in values) if r is not None]
    conditions = [c for c in (_condition(h.get("SKY"), h.get("PTY")) for h in values) if c]
    wet = [c for c in conditions if c in WET]
    usual = Counter(conditions).most_common(1)[0][0] if conditions else "clear"
    return DayForecast(
        date(int(day[:4]), int(day[4:6]), int(day[6:8])),
        highs[0] if highs else max(temperatures, default=None),
        lows[0] if lows else min(temperatures, default=None),
        max(chances, default=None),
        worst(wet) if wet else usual,
        round(sum(humidity) / len(humidity)) if humidity else None,
    )
