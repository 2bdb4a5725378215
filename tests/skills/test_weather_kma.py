"""KMA's short-range forecast and AirKorea against the local data.go.kr stand-in: the grid, the
release times, the forecast, now, fine dust, caching and what happens when the service fails."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from weather_support import FRIDAY_AFTERNOON, Sources

from jibsa.skills.weather import WeatherServiceError
from jibsa.skills.weather.grid import to_grid
from jibsa.skills.weather.kma_source import KmaWeatherSource
from jibsa.skills.weather.release import Operation, latest_release
from jibsa.skills.weather.report import city, city_table, strip_cities
from jibsa.testing import Fault
from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer

TODAY = FRIDAY_AFTERNOON.date()


def test_seoul_city_hall_is_grid_60_127() -> None:
    assert to_grid(37.5665, 126.9780) == (60, 127)


@pytest.mark.parametrize("name", strip_cities())
def test_the_formula_gives_the_published_grid_point(name: str) -> None:
    entry = city_table()["cities"][name]
    expected = tuple(entry.get("formula") or (entry["nx"], entry["ny"]))
    assert to_grid(entry["lat"], entry["lon"]) == expected
    assert (city(name).nx, city(name).ny) == (entry["nx"], entry["ny"])  # KMA's table is what is asked for


def test_the_strip_has_the_twenty_cities_of_the_news_sites() -> None:
    assert strip_cities() == (
        "서울",
        "인천",
        "백령",
        "춘천",
        "강릉",
        "청주",
        "수원",
        "안동",
        "울릉도",
        "독도",
        "대전",
        "전주",
        "광주",
        "목포",
        "여수",
        "대구",
        "울산",
        "창원",
        "부산",
        "제주",
    )


@pytest.mark.parametrize(("operation", "now", "expected"), [
    (Operation.NOW, "2026-11-27 14:39", ("20261127", "1300")),
    (Operation.NOW, "2026-11-27 14:40", ("20261127", "1400")),
    (Operation.NOW, "2026-11-27 00:10", ("20261126", "2300")),
    (Operation.NEXT_HOURS, "2026-11-27 14:44", ("20261127", "1330")),
    (Operation.NEXT_HOURS, "2026-11-27 14:45", ("20261127", "1430")),
    (Operation.FORECAST, "2026-11-27 14:09", ("20261127", "1100")),
    (Operation.FORECAST, "2026-11-27 14:10", ("20261127", "1400")),
    (Operation.FORECAST, "2026-11-27 02:09", ("20261126", "2300")),
    (Operation.FORECAST, "2026-11-27 23:59", ("20261127", "2300")),
    (Operation.AIR, "2026-11-27 14:14", ("20261127", "1300")),
])  # fmt: skip
def test_release_times(operation: Operation, now: str, expected: tuple[str, str]) -> None:
    release = latest_release(operation, datetime.strptime(now, "%Y-%m-%d %H:%M"))
    assert (release.base_date, release.base_time) == expected


async def test_forecast_now_and_fine_dust_for_busan(gateway: DataGoKrServer, kma_source: Sources) -> None:
    tomorrow = TODAY + timedelta(days=1)
    gateway.plan(98, 76, TODAY, sky=3, pop=20, low=9, high=17, humidity=60)
    gateway.plan(98, 76, tomorrow, sky=4, pty=1, pop=80, low=11, high=15)
    report = await kma_source().report("부산", FRIDAY_AFTERNOON)
    today = report.day(TODAY)
    assert today is not None and (today.condition, today.rain_chance) == ("cloudy", 20)
    assert (today.low, today.high) == (9, 17)  # TMN (06 h) from the day's 02 h release, TMX from 14 h's
    strip = await kma_source().report("부산", FRIDAY_AFTERNOON, detail=False)
    assert strip.days[0].low != 9  # without detail, only the hours left today: no extra request
    rainy = report.day(tomorrow)
    assert rainy is not None and (rainy.condition, rainy.rain_chance, rainy.low, rainy.high) == ("rain", 80, 11, 15)
    assert report.current is not None and report.current.condition == "cloudy" and report.current.humidity == 60
    assert report.current.temperature == gateway.plans.get(98, 76, TODAY).temperature(13)  # 14:00 is out at 14:40
    assert report.air is not None and (report.air.pm10, report.air.pm10_grade, report.air.pm25_grade) == (95, 3, 3)
    assert report.stale is None and max(d.day for d in report.days) == TODAY + timedelta(days=3)


async def test_late_in_the_evening_today_comes_from_the_morning_release(
    gateway: DataGoKrServer,
    kma_source: Sources,
) -> None:
    gateway.plan(60, 127, TODAY, sky=4, pty=1, pop=70, low=4, high=10)
    gateway.now = FRIDAY_AFTERNOON.replace(hour=23, minute=30)  # the 23 h release starts at midnight
    report = await kma_source().report("서울", gateway.now)
    today = report.day(TODAY)
    assert today is not None and (today.low, today.high, today.condition, today.rain_chance) == (4, 10, "rain", 70)
    assert report.issued == datetime(2026, 11, 27, 23, 0)


async def test_just_after_midnight_no_morning_release_is_asked_for(
    gateway: DataGoKrServer,
    kma_source: Sources,
) -> None:
    gateway.now = datetime(2026, 11, 28, 0, 30)  # the 23 h release of the 27th holds all of the 28th
    report = await kma_source().report("서울", gateway.now)
    forecasts = [path for _, path in gateway.faults.requests if "getVilageFcst" in path]
    assert len(forecasts) == 1 and report.day(date(2026, 11, 28)) is not None


async def test_a_station_that_measured_nothing_falls_back_to_its_province(
    gateway: DataGoKrServer,
    kma_source: Sources,
) -> None:
    report = await kma_source().report("백령", FRIDAY_AFTERNOON)
    assert report.air is not None and (report.air.station, report.air.pm10, report.air.pm25_grade) == ("연희", 20, 1)


async def test_answers_are_reused_until_the_next_release(gateway: DataGoKrServer, kma_source: Sources) -> None:
    source = kma_source()
    await source.report("서울", FRIDAY_AFTERNOON)
    asked = len(gateway.faults.requests)
    assert asked == 5  # now, the next hours, the forecast, the day's 02 h forecast (for its lowest), one station
    await source.report("서울", FRIDAY_AFTERNOON + timedelta(minutes=15))  # 14:35: nothing new is out yet
    assert len(gateway.faults.requests) == asked
    gateway.now = FRIDAY_AFTERNOON + timedelta(minutes=25)  # 14:45: observations of 14:00 and the 14:30 forecast
    await source.report("서울", gateway.now)
    new = [path.rsplit("/", 1)[1] for _, path in gateway.faults.requests[asked:]]
    assert sorted(new) == ["getUltraSrtFcst", "getUltraSrtNcst"]


async def test_network_failure_gives_the_last_values_with_their_time(
    gateway: DataGoKrServer,
    kma_source: Sources,
) -> None:
    source = kma_source()
    first = await source.report("서울", FRIDAY_AFTERNOON)
    await gateway.close()  # the network is gone
    later = FRIDAY_AFTERNOON + timedelta(hours=3)
    report = await source.report("서울", later)
    assert report.stale is not None and report.stale.reason == "network"
    assert report.stale.as_of == datetime(2026, 11, 27, 14, 0)
    assert report.days == first.days


async def test_expired_and_unregistered_keys(gateway: DataGoKrServer, kma_source: Sources) -> None:
    gateway.expired_keys.add("old-key")
    with pytest.raises(WeatherServiceError) as expired:
        await kma_source("old-key").report("서울", FRIDAY_AFTERNOON)
    assert expired.value.reason == "key" and "31" in expired.value.detail
    with pytest.raises(WeatherServiceError) as unknown:
        await kma_source("nobody's key").report("서울", FRIDAY_AFTERNOON)
    assert unknown.value.reason == "key" and "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in unknown.value.detail


async def test_a_key_refused_later_keeps_the_last_values(gateway: DataGoKrServer, kma_source: Sources) -> None:
    source = kma_source()
    await source.report("대구", FRIDAY_AFTERNOON)
    gateway.faults.fail_next(Fault.UNAUTHORIZED, 10)
    report = await source.report("대구", FRIDAY_AFTERNOON + timedelta(hours=1))
    assert report.stale is not None and report.stale.reason == "key"


async def test_quota_and_server_errors_are_named(gateway: DataGoKrServer, kma_source: Sources) -> None:
    gateway.faults.fail_next(Fault.RATE_LIMITED)
    with pytest.raises(WeatherServiceError) as quota:
        await kma_source().report("제주", FRIDAY_AFTERNOON)
    assert quota.value.reason == "quota"
    gateway.faults.fail_next(Fault.SERVER_ERROR)
    with pytest.raises(WeatherServiceError) as broken:
        await kma_source().report("제주", FRIDAY_AFTERNOON)
    assert broken.value.reason == "service"


async def test_a_service_that_never_answers_is_a_network_failure(gateway: DataGoKrServer) -> None:
    source = KmaWeatherSource(SERVICE_KEY, kma_url=gateway.kma_url, timeout_s=0.2)
    gateway.faults.fail_next(Fault.HANG)
    try:
        with pytest.raises(WeatherServiceError) as hung:
            await source.report("서울", FRIDAY_AFTERNOON, detail=False)
    finally:
        await source.stop()
    assert hung.value.reason == "network" and "Timeout" in hung.value.detail


async def test_a_base_time_not_yet_released_is_no_data(gateway: DataGoKrServer, kma_source: Sources) -> None:
    gateway.now = datetime(2026, 11, 27, 14, 5)  # the 14:00 forecast comes out at 14:10
    with pytest.raises(WeatherServiceError) as early:
        await kma_source().report("서울", FRIDAY_AFTERNOON, detail=False)
    assert early.value.reason == "no_data"
    assert (await kma_source().report("서울", gateway.now, detail=False)).day(date(2026, 11, 27))
