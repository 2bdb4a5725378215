"""A local stand-in for the data.go.kr gateway (apis.data.go.kr) with the two services jibsa uses:

- KMA's short-range forecast, `/1360000/VilageFcstInfoService_2.0/{getUltraSrtNcst,
  getUltraSrtFcst,getVilageFcst}`: the documented JSON (`response.header.resultCode`,
  `response.body.items.item[]`); resultCode 03 NO_DATA for a base time not released yet at the
  server's `now`, 10 INVALID_REQUEST_PARAMETER_ERROR for a malformed request.
- AirKorea's real-time air quality, `/B552584/ArpltnInforInqireSvc/{getMsrstnAcctoRltmMesureDnsty,
  getCtprvnRltmMesureDnsty}`: `response.body.items[]` with pm10Value, pm25Value and their grades.

A key the gateway does not know is refused in its XML (`SERVICE_KEY_IS_NOT_REGISTERED_ERROR`,
returnReasonCode 30), an expired one with 31; `faults` adds 22 (quota), 500 and hanging.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from jibsa.skills.weather.release import VILLAGE_HOURS, Operation, latest_release
from jibsa.testing.kma_forecast import DayPlan, ForecastPlans, next_hours_items, observed_items, village_items
from jibsa.testing.standin import Fault, StandInServer

KMA_PATH = "/1360000/VilageFcstInfoService_2.0"
AIRKOREA_PATH = "/B552584/ArpltnInforInqireSvc"
SERVICE_KEY = "local-test-service-key"
KOREA = ZoneInfo("Asia/Seoul")
_GATEWAY = (
    "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>{message}"
    "</returnAuthMsg><returnReasonCode>{code}</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>"
)
_ITEMS: dict[Operation, Callable[[ForecastPlans, datetime, int, int], list[dict[str, Any]]]] = {
    Operation.NOW: observed_items,
    Operation.NEXT_HOURS: next_hours_items,
    Operation.FORECAST: village_items,
}
# AirKorea's grade breakpoints (µg/m³): the upper bound of 좋음, 보통 and 나쁨
PM10_GRADES = (30, 80, 150)
PM25_GRADES = (15, 35, 75)


def grade(value: int, bounds: tuple[int, int, int]) -> int:
    """1 좋음, 2 보통, 3 나쁨, 4 매우나쁨."""
    return next((i + 1 for i, bound in enumerate(bounds) if value <= bound), 4)


class DataGoKrServer(StandInServer):
    def __init__(self, now: datetime | None = None) -> None:
        super().__init__()
        # Korean local time, naive: what the server has released is decided by it (None: the real time)
        self.fixed_now = now
        self.keys = {SERVICE_KEY}
        self.expired_keys: set[str] = set()
        self.plans = ForecastPlans()
        self.stations: dict[str, tuple[str, int | None, int | None]] = {}  # name -> (sido, pm10, pm25)
        for operation in _ITEMS:
            self.app.router.add_get(f"{KMA_PATH}/{operation.value}", self._forecast)
        self.app.router.add_get(f"{AIRKOREA_PATH}/getMsrstnAcctoRltmMesureDnsty", self._station)
        self.app.router.add_get(f"{AIRKOREA_PATH}/getCtprvnRltmMesureDnsty", self._province)

    @property
    def now(self) -> datetime:
        return self.fixed_now or datetime.now(KOREA).replace(tzinfo=None)

    @now.setter
    def now(self, moment: datetime) -> None:
        self.fixed_now = moment

    @property
    def kma_url(self) -> str:
        return self.base_url + KMA_PATH

    @property
    def airkorea_url(self) -> str:
        return self.base_url + AIRKOREA_PATH

    def plan(self, nx: int, ny: int, day: date, **weather: Any) -> None:
        """Set the weather of one grid point on one day (see DayPlan)."""
        self.plans.set(nx, ny, day, DayPlan(**weather))

    def render_fault(self, fault: Fault) -> web.Response:
        if fault is Fault.UNAUTHORIZED:
            return _gateway("SERVICE_KEY_IS_NOT_REGISTERED_ERROR", 30)
        if fault is Fault.RATE_LIMITED:
            return _gateway("LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR", 22)
        return web.Response(status=500, text="Unexpected errors")

    def _refused(self, request: web.Request) -> web.Response | None:
        key = request.query.get("serviceKey", "")
        if key in self.expired_keys:
            return _gateway("DEADLINE_HAS_EXPIRED_ERROR", 31)
        if key not in self.keys:
            return _gateway("SERVICE_KEY_IS_NOT_REGISTERED_ERROR", 30)
        return None

    async def _forecast(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        operation = Operation(request.path.rsplit("/", 1)[1])
        query = request.query
        try:
            base = datetime.strptime(query["base_date"] + query["base_time"], "%Y%m%d%H%M")
            nx, ny = int(query["nx"]), int(query["ny"])
        except (KeyError, ValueError):
            return _kma_header("10", "INVALID_REQUEST_PARAMETER_ERROR")
        if query.get("dataType", "XML").upper() != "JSON":
            return web.Response(status=400, text="this stand-in answers dataType=JSON only")
        if base > latest_release(operation, self.now).moment:
            return _kma_header("03", "NO_DATA")
        if not _valid_base(operation, base):
            return _kma_header("10", "INVALID_REQUEST_PARAMETER_ERROR")
        items = _ITEMS[operation](self.plans, base, nx, ny)
        rows = int(query.get("numOfRows", 10))
        page = int(query.get("pageNo", 1))
        shown = items[(page - 1) * rows : page * rows]
        body = {
            "dataType": "JSON",
            "items": {"item": shown},
            "pageNo": page,
            "numOfRows": rows,
            "totalCount": len(items),
        }
        return web.json_response(
            {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL_SERVICE"}, "body": body}}
        )

    async def _station(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        name = request.query.get("stationName", "")
        return _air_body([self._row(name)] if name in self.stations else [])

    async def _province(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        sido = request.query.get("sidoName", "")
        return _air_body([self._row(name) for name, (where, _, _) in self.stations.items() if where == sido])

    def _row(self, name: str) -> dict[str, Any]:
        sido, pm10, pm25 = self.stations[name]
        return {
            "stationName": name,
            "sidoName": sido,
            "dataTime": self.now.strftime("%Y-%m-%d %H:00"),
            "pm10Value": "-" if pm10 is None else str(pm10),
            "pm25Value": "-" if pm25 is None else str(pm25),
            "pm10Grade": "" if pm10 is None else str(grade(pm10, PM10_GRADES)),
            "pm25Grade": "" if pm25 is None else str(grade(pm25, PM25_GRADES)),
            "khaiValue": "-",
            "so2Value": "0.003",
            "coValue": "0.4",
            "o3Value": "0.028",
            "no2Value": "0.021",
        }


# (sky, precipitation type, chance %) the demo cycles through, city by city and day by day
_DEMO_SKIES = ((1, 0, 10), (3, 0, 30), (4, 0, 40), (4, 1, 80), (3, 4, 60), (4, 3, 70), (1, 0, 0))


def plan_demo_week(server: DataGoKrServer, today: date) -> None:
    """Varied weather for the cities' table over the next four days, so a demo shows every kind of sky."""
    from datetime import timedelta

    from jibsa.skills.weather.report import city, known_cities

    for index, name in enumerate(known_cities()):
        place = city(name)
        for offset in range(4):
            sky, pty, pop = _DEMO_SKIES[(index + offset) % len(_DEMO_SKIES)]
            usual = server.plans.get(place.nx, place.ny, today)
            server.plan(
                place.nx,
                place.ny,
                today + timedelta(days=offset),
                sky=sky,
                pty=pty,
                pop=pop,
                low=usual.low - 3 * (pty == 3),
                high=usual.high - 3 * (pty == 3),
            )


def demo_stations() -> dict[str, tuple[str, int | None, int | None]]:
    """A measurement for every station of the cities' table: fine dust varying from city to city."""
    from jibsa.skills.weather.report import city, known_cities

    places = [city(name) for name in known_cities()]
    return {p.station: (p.sido, 15 + (p.nx * 7) % 90, 6 + (p.ny * 5) % 45) for p in places}


def _valid_base(operation: Operation, base: datetime) -> bool:
    if operation is Operation.NOW:
        return base.minute == 0
    if operation is Operation.NEXT_HOURS:
        return base.minute == 30
    return base.minute == 0 and base.hour in VILLAGE_HOURS


def _gateway(message: str, code: int) -> web.Response:
    return web.Response(text=_GATEWAY.format(message=message, code=code), content_type="text/xml")


def _kma_header(code: str, message: str) -> web.Response:
    return web.json_response({"response": {"header": {"resultCode": code, "resultMsg": message}}})


def _air_body(items: list[dict[str, Any]]) -> web.Response:
    return web.json_response(
        {
            "response": {
                "header": {"resultCode": "00", "resultMsg": "NORMAL_CODE"},
                "body": {"items": items, "totalCount": len(items), "pageNo": 1, "numOfRows": 100},
            }
        }
    )
