"""A client for KMA's short-range forecast service (기상청 단기예보 조회서비스,
VilageFcstInfoService_2.0 on data.go.kr): getUltraSrtNcst, getUltraSrtFcst and getVilageFcst.

Every operation takes serviceKey, pageNo, numOfRows, dataType=JSON, base_date, base_time, nx, ny
and answers `{"response": {"header": {"resultCode", "resultMsg"}, "body": {"items": {"item": [...]}}}}`
with one item per category and time (T1H, RN1, SKY, PTY, POP, TMP, TMN, TMX, REH, WSD, ...).
"""

from __future__ import annotations

from typing import Any

import httpx

from jibsa.skills.weather.errors import WeatherServiceError, gateway_error
from jibsa.skills.weather.release import Operation, Release

DEFAULT_BASE_URL = "https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0"
ROWS = 1000  # a getVilageFcst answer for three days is about 900 items
NO_DATA = "03"


class KmaClient:
    """The three operations over `http`, a client the caller owns (and closes)."""

    def __init__(self, http: httpx.AsyncClient, service_key: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self._http = http
        self._key = service_key
        self._base_url = base_url.rstrip("/")

    async def items(self, operation: Operation, release: Release, nx: int, ny: int) -> list[dict[str, Any]]:
        """The items of one release for one grid point; WeatherServiceError when there are none."""
        params = {
            "serviceKey": self._key,
            "pageNo": 1,
            "numOfRows": ROWS,
            "dataType": "JSON",
            "base_date": release.base_date,
            "base_time": release.base_time,
            "nx": nx,
            "ny": ny,
        }
        body = await get_json(self._http, f"{self._base_url}/{operation.value}", params)
        response = body.get("response") or {}
        header = response.get("header") or {}
        code = str(header.get("resultCode", ""))
        if code != "00":
            reason = "no_data" if code == NO_DATA else "service"
            raise WeatherServiceError(reason, f"{code} {header.get('resultMsg', '')}".strip())
        items = ((response.get("body") or {}).get("items") or {}).get("item") or []
        if not isinstance(items, list):
            raise WeatherServiceError("service", "items.item is not a list")
        return items


async def get_json(http: httpx.AsyncClient, url: str, params: dict[str, Any], source: str = "kma") -> dict[str, Any]:
    """GET an operation of `source`; the JSON body, or WeatherServiceError saying why not."""
    try:
        response = await http.get(url, params=params)
    except httpx.HTTPError as exc:
        raise WeatherServiceError("network", type(exc).__name__, source) from None
    refused = gateway_error(response.text, source)
    if refused is not None:
        raise refused
    if response.status_code >= 400:
        raise WeatherServiceError("service", f"HTTP {response.status_code}", source)
    try:
        body = response.json()
    except ValueError:
        raise WeatherServiceError("service", "the answer is not JSON", source) from None
    if not isinstance(body, dict):
        raise WeatherServiceError("service", "the answer is not a JSON object", source)
    return body
