"""A stand-in Web Push service (the role FCM or Mozilla's autopush play), for tests and demos.

It makes subscriptions the way a browser would (a P-256 key pair and an auth secret per
subscription), then, for each message POSTed to an endpoint, checks the VAPID signature (RFC 8292)
with py_vapid and decrypts the body (RFC 8291, aes128gcm) with http_ece, as the browser would.
An unknown or cancelled endpoint answers 410 Gone, as real push services do.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from jibsa.testing.standin import Fault, StandInServer


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class _Browser:
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    received: list[dict[str, Any]] = field(default_factory=list)


class PushServiceStandIn(StandInServer):
    def __init__(self) -> None:
        super().__init__()
        self._browsers: dict[str, _Browser] = {}
        self.refused: list[str] = []  # why messages were refused
        self._arrived = asyncio.Condition()
        self.app.router.add_post("/push/{id}", self._push)

    def render_fault(self, fault: Fault) -> web.Response:
        return web.Response(status=int(fault.value) if fault.value.isdigit() else 503)

    def subscribe(self) -> dict[str, Any]:
        """A new subscription, as `PushSubscription.toJSON()` gives it in a browser."""
        browser_id = uuid.uuid4().hex
        browser = _Browser(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self._browsers[browser_id] = browser
        public = browser.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.base_url}/push/{browser_id}",
            "keys": {"p256dh": _b64url(public), "auth": _b64url(browser.auth)},
        }

    def cancel(self, endpoint: str) -> None:
        """The person unsubscribed (or uninstalled the app): the endpoint is gone."""
        self._browsers.pop(endpoint.rsplit("/", 1)[-1], None)

    def received(self, endpoint: str) -> list[dict[str, Any]]:
        browser = self._browsers.get(endpoint.rsplit("/", 1)[-1])
        return list(browser.received) if browser else []

    async def _push(self, request: web.Request) -> web.Response:
        browser = self._browsers.get(request.match_info["id"])
        if browser is None:
            return web.Response(status=410)
        authorization = request.headers.get("Authorization", "")
        try:
            signed = Vapid02.verify(authorization)
        except Exception as exc:  # any malformed header is a refusal, as a real service answers
            signed = False
            self.refused.append(f"bad VAPID header: {exc}")
        if not signed or "TTL" not in request.headers:
            self.refused.append("unsigned or no TTL")
            return web.Response(status=401)
        body = await request.read()
        try:
            clear = http_ece.decrypt(body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm")
        except Exception as exc:  # a body the browser could not read is the sender's error
            self.refused.append(f"cannot decrypt: {exc}")
            return web.Response(status=400)
        browser.received.append(json.loads(clear))
        async with self._arrived:
            self._arrived.notify_all()
        return web.Response(status=201)

    async def wait_for(self, endpoint: str, count: int) -> list[dict[str, Any]]:
        """Wait until `endpoint` has received `count` messages; returns them."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.received(endpoint)) >= count)
        return self.received(endpoint)
