"""Where Web Push may send: https to public addresses only, so that a subscription cannot turn the server
into a way into the home's network (a guest's timer made it POST to a loopback URL of the guest's choosing).

A push endpoint's host is resolved and refused when any of its addresses is private, loopback, link-local,
multicast, reserved or unspecified; the check runs when a subscription is made, and again on every request
the server sends (redirects included) through the session's middleware, whose connector only ever connects
to checked addresses. An owner may allow networks of their own (a push relay in the home): an endpoint
there may also be plain http.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class EndpointRefused(ValueError):
    """A push endpoint jibsa will not send to; the message says why."""


def networks(allowed: Iterable[str]) -> tuple[Network, ...]:
    """The owner's allowed networks ("192.168.0.0/24"); EndpointRefused names one that is not."""
    try:
        return tuple(ipaddress.ip_network(str(n), strict=False) for n in allowed)
    except ValueError as exc:
        raise EndpointRefused(f"push.allow: {exc}") from None


def _public(address: Address) -> bool:
    return address.is_global and not address.is_multicast


def _allowed(address: Address, allowed: Sequence[Network]) -> bool:
    return any(address in network for network in allowed)


async def _addresses(host: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:  # UnicodeError: no host name (an empty or overlong label, a control)
        raise EndpointRefused(f"{host}: cannot be resolved ({exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


async def check_endpoint(url: str, allowed: Sequence[Network] = ()) -> None:
    """Raise EndpointRefused unless `url` is https to public addresses (or to an allowed network)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as exc:  # an unclosed "[" of an IPv6 address
        raise EndpointRefused(f"the endpoint is not a URL ({exc})") from None
    if not host:
        raise EndpointRefused("the endpoint names no host")
    addresses = await _addresses(host)
    if addresses and all(_allowed(a, allowed) for a in addresses):
        if parts.scheme not in ("http", "https"):
            raise EndpointRefused("the endpoint must be an http(s) URL")
        return
    if parts.scheme != "https":
        raise EndpointRefused("the endpoint must be an https URL")
    for address in addresses:
        if not _public(address):
            raise EndpointRefused(f"{host} is {address}, not a public address")


def guarded_session(allowed: Sequence[Network] = (), timeout_s: float = 5.0) -> aiohttp.ClientSession:
    """A session that checks every request it sends (redirects included) and connects only to checked
    addresses (a name that resolves to another address later is refused then too)."""

    async def check(request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
        try:
            await check_endpoint(str(request.url), allowed)
        except EndpointRefused as exc:
            raise aiohttp.ClientConnectionError(f"push endpoint refused: {exc}") from None
        return await handler(request)

    connector = aiohttp.TCPConnector(resolver=_CheckedResolver(allowed), limit_per_host=10)
    return aiohttp.ClientSession(
        connector=connector, middlewares=(check,), timeout=aiohttp.ClientTimeout(total=timeout_s)
    )


class _CheckedResolver(AbstractResolver):
    """The default resolver, keeping only addresses a push may go to."""

    def __init__(self, allowed: Sequence[Network]) -> None:
        self._inner = DefaultResolver()
        self._allowed = allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        kept = [r for r in found if _ok(r["host"], self._allowed)]
        if not kept:
            raise OSError(f"{host}: no public address")
        return kept

    async def close(self) -> None:
        await self._inner.close()


def _ok(host: Any, allowed: Sequence[Network]) -> bool:
    address = ipaddress.ip_address(str(host).split("%")[0])
    return _public(address) or _allowed(address, allowed)
