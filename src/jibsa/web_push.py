"""Web Push: every new notification goes to its person's phones and browsers that allowed it.

The VAPID key pair is made at first start and kept in the data directory (`vapid_private.pem`);
pywebpush encrypts (RFC 8291) and signs (RFC 8292) each message. A subscription the push service
says is gone (404/410) is forgotten. Messages go out in parallel, each within SEND_TIMEOUT_S, through a
session that sends only to public https addresses (`push_addresses`): a hanging or hostile endpoint
delays nobody else and reaches nothing inside the home.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02, b64urlencode
from pywebpush import WebPushException, webpush_async

from jibsa.hub import Hub, Subscription
from jibsa.hub.notification_store import Notification, NotificationStore, PushSubscription
from jibsa.hub.notifications import NotificationAdded
from jibsa.push_addresses import Network, guarded_session
from jibsa.words import Said, say

log = logging.getLogger(__name__)
KEY_FILE = "vapid_private.pem"
GONE = (404, 410)
_TITLE = Said("push.title")  # the name the notification shows, "집사"
SEND_TIMEOUT_S = 5.0
MAX_SUBSCRIPTIONS_PER_PERSON = 10  # phones and browsers; more is not a household


def vapid_keys(data_dir: Path) -> Vapid02:
    """The home's VAPID key pair: read from `data_dir`, or made and saved (owner-only) the first time."""
    path = data_dir / KEY_FILE
    if path.exists():
        return Vapid02.from_file(str(path))
    data_dir.mkdir(parents=True, exist_ok=True)
    vapid = Vapid02()
    vapid.generate_keys()
    # Written whole under a private name, then linked into place: link fails if the file is there, so
    # of two processes starting at once on one data directory the first one's keys win, and neither
    # reads a half-written file.
    partial = data_dir / f"{KEY_FILE}.{os.getpid()}.partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(vapid.private_pem())
    try:
        os.link(partial, path)
    except FileExistsError:
        return Vapid02.from_file(str(path))
    finally:
        partial.unlink()
    return vapid


def application_server_key(vapid: Vapid02) -> str:
    """The public key browsers subscribe with (`applicationServerKey`), base64url."""
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return str(b64urlencode(raw))


class PushSender:
    """Sends each `NotificationAdded` on the hub's bus to the subscriptions of its person."""

    def __init__(
        self,
        hub: Hub,
        store: NotificationStore,
        vapid: Vapid02,
        subject: str = "mailto:jibsa@localhost",
        allowed: tuple[Network, ...] = (),
    ) -> None:
        self._hub = hub
        self.allowed = allowed  # networks of the owner's own that may be sent to despite not being public
        self._store = store
        self.vapid = vapid
        self._subject = subject
        self._events: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self.sent = 0

    async def start(self) -> None:
        self._session = guarded_session(self.allowed, SEND_TIMEOUT_S)
        self._events = self._hub.bus.subscribe(accept=lambda e: isinstance(e, NotificationAdded))
        self._task = asyncio.create_task(self._run(), name="web-push")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._events is not None:
            self._events.close()
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        assert self._events is not None
        async for event in self._events:
            await self.deliver(event.notification)

    async def deliver(self, notification: Notification) -> int:
        """Push `notification` to every subscription of its person (everyone's for ""); how many took it."""
        home_id = self._hub.home.id
        person = notification.person or None
        subscriptions = await self._store.push_subscriptions(home_id, person)
        sent = await asyncio.gather(*(self._send(s, notification) for s in subscriptions))
        delivered = sum(sent)
        self.sent += delivered
        return delivered

    async def _send(self, subscription: PushSubscription, notification: Notification) -> bool:
        said = notification.said
        payload = json.dumps(
            {
                "title": say(_TITLE, "ko"),
                "title_en": say(_TITLE, "en"),
                "body": say(said, "ko"),
                "body_en": say(said, "en"),
                "id": notification.id,
            },
            ensure_ascii=False,
        )
        try:
            await webpush_async(
                subscription.info(),
                payload,
                vapid_private_key=self.vapid,
                vapid_claims={"sub": self._subject},
                ttl=3600,
                timeout=SEND_TIMEOUT_S,
                aiohttp_session=self._session,
            )
        except WebPushException as exc:
            if exc.response is not None and getattr(exc.response, "status", None) in GONE:
                await self._store.delete_push_subscription(self._hub.home.id, subscription.endpoint)
            log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
            return False
        return True
