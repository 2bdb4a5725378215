"""Talking to LG's cloud through LG's own SDK (`thinqconnect.ThinQApi`), with what the SDK leaves
to its user: a deadline, bounded retries (waiting on the injected clock) with exponential backoff for what
is safe to repeat, and errors a person can act on.

The SDK builds its addresses from the country (`https://api-kic.lgthinq.com/...`). To use another
base address (a local stand-in, a proxy), jibsa hands the SDK an aiohttp session whose client
middleware sends requests for `*.lgthinq.com` to that address instead; the SDK itself is untouched.
The same middleware notes a 429's Retry-After, so the backoff can respect it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import aiohttp
from aiohttp import ClientHandlerType, ClientRequest, ClientResponse, ClientSession, hdrs
from thinqconnect import ThinQApi, ThinQAPIException
from yarl import URL

from jibsa.adapters.cloud.retry import AccountError, Retryable, RetryPolicy, call_with_retries
from jibsa.hub.adapter import DeviceError, DeviceNotAnswering
from jibsa.hub.clock import Clock

from . import messages

log = logging.getLogger(__name__)
T = TypeVar("T")

AUTH_CODES = frozenset({"1103", "1218", "1302", "1303"})  # invalid/unknown token or user
RATE_CODES = frozenset({"1306"})
SERVER_CODES = frozenset({"0000", "2000", "2209", "2210", "2212", "2214"})  # the cloud's own trouble
OFFLINE_CODES = frozenset({"1222"})
REMOTE_OFF_CODES = frozenset({"2301"})
POWER_OFF_CODES = frozenset({"2304"})


# The Retry-After of the last answer in this task: set by the session's middleware, which runs in
# the task that awaits the SDK call.
_RETRY_AFTER: ContextVar[float | None] = ContextVar("thinq_retry_after", default=None)


def cloud_session(base_url: str | None) -> ClientSession:
    """An aiohttp session for the SDK. With `base_url`, requests to LG's hosts go there instead.
    It also notes a 429's Retry-After, which the SDK's exception does not carry."""
    base = URL(base_url.rstrip("/")) if base_url else None

    async def middleware(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        host = request.url.host or ""
        if base is not None and host.endswith(".lgthinq.com"):
            request.url = base.with_path(base.path.rstrip("/") + request.url.path).with_query(request.url.query)
            request.headers[hdrs.HOST] = request.url.host_port_subcomponent or ""
        response = await handler(request)
        _RETRY_AFTER.set(_seconds(response.headers.get(hdrs.RETRY_AFTER)))
        return response

    return ClientSession(middlewares=(middleware,))


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


class ThinQClient:
    """The account's devices, profiles, states and controls, each call bounded and translated."""

    def __init__(
        self, api: ThinQApi, clock: Clock, *, timeout_s: float = 4.0, retry: RetryPolicy | None = None
    ) -> None:
        self._api = api
        self._clock = clock
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()

    async def devices(self) -> list[dict[str, Any]]:
        listing = await self._call(self._api.async_get_device_list, messages.THINQ.account)
        return [d for d in listing or [] if isinstance(d, dict)]

    async def state(self, device_id: str, name: str) -> Any:
        return await self._call(lambda: self._api.async_get_device_status(device_id), name)

    async def control(self, device_id: str, name: str, payload: dict[str, Any]) -> None:
        """Send a control. Every jibsa control names the state wanted (power on, 24 °C, START), so
        repeating one after a refusal (429) or a cloud error is safe; a timeout is not repeated."""
        await self._call(lambda: self._api.async_post_device_control(device_id, payload), name)

    async def energy_properties(self, device_id: str, name: str) -> list[str]:
        """The energy properties LG reports for the device (["totalEnergy"]); [] when it reports none."""
        profile = await self._call(lambda: self._api.async_get_device_energy_profile(device_id), name)
        found = ((profile or {}).get("result") or {}).get("property") or []
        return [str(p) for p in found] if isinstance(found, list) else []

    async def month_energy_wh(self, device_id: str, name: str, prop: str, month: str) -> float:
        """Wh the device used in `month` ("YYYYMM") so far, as LG's cloud has it."""
        usage = await self._call(
            lambda: self._api.async_get_device_energy_usage(device_id, prop, "MONTHLY", month, month), name
        )
        rows = ((usage or {}).get("result") or {}).get("dataList") or []
        return float(sum(r.get(prop, 0) or 0 for r in rows if isinstance(r, dict)))

    async def _call(self, request: Callable[[], Awaitable[T]], name: str) -> T:
        return await call_with_retries(
            lambda: self._within(request(), name), self.retry, self._clock, vendor="thinq", name=name
        )

    async def _within(self, request: Awaitable[T], name: str) -> T:
        """`request`'s answer, or `DeviceNotAnswering` after `timeout_s` (real time: the network's)."""
        _RETRY_AFTER.set(None)
        try:
            async with asyncio.timeout(self.timeout_s):
                return await request
        except TimeoutError:
            raise DeviceNotAnswering(messages.THINQ.not_answering(name, self.timeout_s)) from None
        except ThinQAPIException as exc:
            raise _translate(exc, name, _RETRY_AFTER.get()) from None
        except (aiohttp.ClientError, ValueError) as exc:  # refused connection, a body that is not JSON
            log.warning("thinq: %s: %s", name, exc)
            raise Retryable(DeviceNotAnswering(messages.THINQ.cloud_unreachable)) from None


def _translate(exc: ThinQAPIException, name: str, retry_after: float | None) -> Exception:
    code = str(exc.code)
    if code in AUTH_CODES:
        return AccountError(messages.THINQ.token_expired)
    if code in RATE_CODES:
        return Retryable(DeviceError(messages.THINQ.rate_limited), retry_after)
    if code in SERVER_CODES:
        return Retryable(DeviceError(messages.THINQ.cloud_error), retry_after)
    if code in OFFLINE_CODES:
        return DeviceNotAnswering(messages.offline(name))
    if code in REMOTE_OFF_CODES:
        return DeviceError(messages.remote_off(name))
    if code in POWER_OFF_CODES:
        return DeviceError(messages.power_off(name))
    return DeviceError(messages.refused(name, code, str(exc.message)))
