"""A client for AirKorea's real-time air quality service (한국환경공단 에어코리아 대기오염정보,
ArpltnInforInqireSvc on data.go.kr): getMsrstnAcctoRltmMesureDnsty (one station) and
getCtprvnRltmMesureDnsty (every station of a province).

Both take serviceKey, returnType=json, numOfRows, pageNo and ver, and answer `{"response":
{"header": {"resultCode", "resultMsg"}, "body": {"items": [{"stationName", "dataTime",
"pm10Value", "pm25Value", "pm10Grade", "pm25Grade", ...}]}}}`; a value not measured is "-".
"""

from __future__ import annotations

from typing import Any

import httpx

from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.kma import get_json
from jibsa.skills.weather.report import Air

DEFAULT_BASE_URL = "https://apis.data.go.kr/B552584/ArpltnInforInqireSvc"
SOURCE = "airkorea"


class AirKoreaClient:
    """Fine dust over `http`, a client the caller owns (and closes)."""

    def __init__(self, http: httpx.AsyncClient, service_key: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self._http = http
        self._key = service_key
        self._base_url = base_url.rstrip("/")

    async def air(self, station: str, sido: str) -> Air:
        """The newest measurement at `station`; when it measured nothing, the first station of
        `sido` that did."""
        rows = await self._rows(
            "getMsrstnAcctoRltmMesureDnsty", {"stationName": station, "dataTerm": "DAILY", "numOfRows": 24}
        )
        found = next((r for r in rows if _measured(r)), None)
        if found is None:
            rows = await self._rows("getCtprvnRltmMesureDnsty", {"sidoName": sido, "numOfRows": 200})
            found = next((r for r in rows if _measured(r)), None)
        if found is None:
            raise WeatherServiceError("no_data", f"no fine dust measured at {station} or in {sido}", SOURCE)
        return Air(
            _number(found.get("pm10Value")),
            _number(found.get("pm25Value")),
            _number(found.get("pm10Grade")),
            _number(found.get("pm25Grade")),
            str(found.get("stationName") or station),
            str(found.get("dataTime") or ""),
        )

    async def _rows(self, operation: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        params = {"serviceKey": self._key, "returnType": "json", "pageNo": 1, "ver": "1.0", **query}
        body = await get_json(self._http, f"{self._base_url}/{operation}", params, SOURCE)
        response = body.get("response") or {}
        header = response.get("header") or {}
        if str(header.get("resultCode", "")) != "00":
            raise WeatherServiceError("service", f"{header.get('resultCode')} {header.get('resultMsg', '')}", SOURCE)
        items = (response.get("body") or {}).get("items") or []
        return [i for i in items if isinstance(i, dict)]


def _measured(row: dict[str, Any]) -> bool:
    return _number(row.get("pm10Value")) is not None or _number(row.get("pm25Value")) is not None


def _number(value: Any) -> int | None:
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None  # "-" or missing: not measured
