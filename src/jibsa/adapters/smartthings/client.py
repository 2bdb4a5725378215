"""A small client for SmartThings' documented REST API (v1) on an injectable aiohttp session.

Why not `pysmartthings`: its 1.2 release (the newest for Python 3.11) fixes the host to
api.smartthings.com and treats every answer but 401 and 422 as data, so a 429 or a 500 surfaces as
a parse error with no Retry-After. This client keeps to the same endpoints and adds what jibsa needs:
a base address, a deadline, bounded retries with exponential backoff that respect Retry-After
(waiting on the injected clock), and errors a person can act on.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
from aiohttp import ClientSession

from jibsa.adapters.cloud.retry import AccountError, Retryable, RetryPolicy, call_with_retries
from jibsa.hub.adapter import DeviceError, DeviceNotAnswering
from jibsa.hub.clock import Clock

from . import messages
from .mapping import Command

log = logging.getLogger(__name__)
API_BASE = "https://api.smartthings.com"


class SmartThingsClient:
    """Locations, rooms, devices, statuses and commands; each call bounded and translated."""

    def __init__(
        self,
        session: ClientSession,
        token: str,
        clock: Clock,
        *,
        base_url: str = API_BASE,
        timeout_s: float = 4.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._session = session
        self._token = token
        self._clock = clock
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()

    async def rooms(self) -> dict[str, str]:
        """Every room of every location: id -> name."""
        rooms: dict[str, str] = {}
        for location in await self._items("/v1/locations", messages.SMARTTHINGS.account):
            for room in await self._items(
                f"/v1/locations/{location['locationId']}/rooms", messages.SMARTTHINGS.account
            ):
                rooms[str(room.get("roomId"))] = str(room.get("name"))
        return rooms

    async def devices(self) -> list[dict[str, Any]]:
        return await self._items("/v1/devices", messages.SMARTTHINGS.account)

    async def status(self, device_id: str, name: str) -> Mapping[str, Any]:
        body = await self._request("GET", f"/v1/devices/{device_id}/status", name)
        components = body.get("components") if isinstance(body, Mapping) else None
        return components if isinstance(components, Mapping) else {}

    async def execute(self, device_id: str, name: str, commands: Sequence[Command]) -> None:
        """Send commands. Each names the state wanted (on, 24 °C, run), so repeating one after a
        429 or a cloud error is safe; a timeout is not repeated (the device may have acted)."""
        payload = {"commands": [c.to_json() for c in commands]}
        await self._request("POST", f"/v1/devices/{device_id}/commands", name, payload)

    async def _items(self, path: str, name: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        url: str | None = path
        while url:
            body = await self._request("GET", url, name)
            items.extend(i for i in body.get("items") or () if isinstance(i, dict))
            following = (body.get("_links") or {}).get("next") or {}
            url = following.get("href") if isinstance(following, Mapping) else None
        return items

    async def _request(self, method: str, path: str, name: str, payload: Any = None) -> Any:
        url = path if path.startswith("http") else self.base_url + path
        return await call_with_retries(
            lambda: self._once(method, url, name, payload), self.retry, self._clock, vendor="smartthings", name=name
        )

    async def _once(self, method: str, url: str, name: str, payload: Any) -> Any:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            async with asyncio.timeout(self.timeout_s):
                async with self._session.request(method, url, headers=headers, json=payload) as response:
                    text = await response.text()
                    status, retry_after = response.status, _retry_after(response.headers)
        except TimeoutError:
            raise DeviceNotAnswering(messages.SMARTTHINGS.not_answering(name, self.timeout_s)) from None
        except aiohttp.ClientError as exc:
            log.warning("smartthings: %s: %s", name, exc)
            raise Retryable(DeviceNotAnswering(messages.SMARTTHINGS.cloud_unreachable)) from None
        body = _json(text)
        if status < 300:
            return body
        raise _failure(status, body, name, retry_after)


def _failure(status: int, body: Any, name: str, retry_after: float | None) -> Exception:
    if status in (401, 403):
        return AccountError(messages.SMARTTHINGS.token_expired)
    if status == 429:
        return Retryable(DeviceError(messages.SMARTTHINGS.rate_limited), retry_after)
    if status >= 500:
        return Retryable(DeviceError(messages.SMARTTHINGS.cloud_error), retry_after)
    if status == 404:
        return DeviceError(messages.gone(name), "unknown_device")
    error = body.get("error") if isinstance(body, Mapping) else None
    detail = error.get("message") if isinstance(error, Mapping) else f"HTTP {status}"
    return DeviceError(messages.refused(name, str(detail)))


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        if "Retry-After" in headers:
            return float(headers["Retry-After"])
        if "X-RateLimit-Reset" in headers:  # milliseconds until the limit resets
            return float(headers["X-RateLimit-Reset"]) / 1000
    except ValueError:
        return None
    return None


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}
