"""`ThinQAdapter`: an LG ThinQ account's appliances as jibsa devices.

On start it lists the account's devices, links each to a home-file device that claims it
(`vendor: thinq`, `options: {thinq_device_id: "..."}`, or failing that the same name as the
device's alias in the LG app) and announces the others as new devices (`thinq_<id>`), then polls
every device's state on the injected clock. A device that fails its poll is marked unavailable and
the others carry on; a refused token is reported (in Korean) and keeps the last known states, so
a command still reaches the adapter and the person hears why it failed.

Push (LG's MQTT over AWS IoT, which needs a client certificate issued per client) is not used:
states are polled, every `poll_s` seconds and right after each command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession
from thinqconnect import ThinQApi
from thinqconnect.country import get_region_from_country

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import AdapterContext, AdapterSink, DeviceError
from jibsa.hub.clock import Clock

from . import messages
from .client import AccountError, RetryPolicy, ThinQClient, cloud_session
from .mapping import UnsupportedAction, control_for, device_id_for, jibsa_type, values_from_state

log = logging.getLogger(__name__)
DEVICE_OPTION = "thinq_device_id"  # a home-file device option: the LG device this device is


@dataclass(frozen=True, slots=True)
class ThinQSettings:
    """The `thinq:` section of the configuration."""

    token: str
    country: str = "KR"
    client_id: str = ""
    base_url: str = ""
    poll_s: float = 60.0
    timeout_s: float = 4.0
    start_wait_s: float = 3.0  # how long `start` waits for the first listing before going on
    relist_s: float = 3600.0  # how often the account's device list is read again (added, removed devices)
    retry: RetryPolicy = RetryPolicy()  # noqa: RUF009 -- frozen, so one shared default is safe
    discover: bool = True  # announce account devices the home file does not mention

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], home_id: str) -> ThinQSettings:
        token = str(raw.get("token") or "").strip()
        if not token:
            raise ValueError("thinq settings: token is missing (a personal access token from LG's developer site)")
        country = str(raw.get("country") or "KR").upper()
        try:
            get_region_from_country(country)
        except RuntimeError:
            raise ValueError(f"thinq settings: country {country!r} is not one LG ThinQ Connect serves") from None
        # LG wants one stable id per client; derive one from the home when none is configured.
        client_id = str(raw.get("client_id") or f"jibsa-{uuid.uuid5(uuid.NAMESPACE_URL, 'jibsa:' + home_id)}")
        retry = RetryPolicy(int(raw.get("retry_attempts", 3)), float(raw.get("retry_base_s", 0.5)))
        return cls(
            token, country, client_id, str(raw.get("base_url") or ""),
            poll_s=float(raw.get("poll_s", 60.0)), timeout_s=float(raw.get("timeout_s", 4.0)),
            start_wait_s=float(raw.get("start_wait_s", 3.0)), relist_s=float(raw.get("relist_s", 3600.0)),
            retry=retry,
            discover=bool(raw.get("discover", True)),
        )


@dataclass(frozen=True, slots=True)
class _Linked:
    thinq_id: str
    thinq_type: str
    device: Device


class ThinQAdapter:
    """One LG account for one home. Build it with `create_adapter` (the `jibsa.adapters` entry point)."""

    name = "thinq"

    def __init__(self, settings: ThinQSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.problem: str | None = None  # what is wrong with the account now, in Korean
        self._claims: dict[str, Device] = {}
        self._by_name: dict[str, Device] = {}
        self._home_ids: set[str] = set()
        self._linked: dict[str, _Linked] = {}  # by jibsa id
        self._unavailable: set[str] = set()
        self._synced = False
        self._next_listing = 0.0
        self._sink: AdapterSink | None = None
        self._session: ClientSession | None = None
        self._client: ThinQClient | None = None
        self._task: asyncio.Task[None] | None = None

    # -- DeviceAdapter ----------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        """Link and announce the account's devices and report their states; keep polling."""
        self._sink = sink
        self._home_ids = {d.id for d in devices}
        for device in devices:
            claimed = device.options.get(DEVICE_OPTION)
            if claimed:
                self._claims[str(claimed)] = device
            else:
                self._by_name[device.name] = device
        self._session = cloud_session(self.settings.base_url)
        api = ThinQApi(self._session, self.settings.token, self.settings.country, self.settings.client_id)
        self._client = ThinQClient(api, self.clock, timeout_s=self.settings.timeout_s, retry=self.settings.retry)
        # The first listing runs in the polling task: a slow cloud delays the hub's start by at
        # most `start_wait_s`, and the devices join when the cloud answers.
        first = asyncio.Event()
        self._task = asyncio.create_task(self._run(first), name="jibsa-thinq-poll")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.settings.start_wait_s):
                await first.wait()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._sink = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, action: DeviceAction) -> None:
        """Send the control for `action`, then read the device back and report its state."""
        linked = self._linked.get(action.device_id)
        client = self._client
        if linked is None and not self._synced and self.problem is not None:
            raise AccountError(self.problem)  # the account could not even be listed: say why
        if linked is None or client is None:
            raise DeviceError(messages.NOT_LINKED.format(name=action.device_id), "unknown_device")
        name = linked.device.name
        try:
            payload = control_for(linked.device.type, linked.thinq_type, action)
        except UnsupportedAction:
            raise DeviceError(messages.UNSUPPORTED.format(name=name), "unsupported_intent") from None
        try:
            await client.control(linked.thinq_id, name, payload)
        except AccountError as exc:
            self.problem = str(exc)
            raise
        await self._poll(linked)

    # -- inside -----------------------------------------------------------------------------------

    @property
    def devices(self) -> tuple[Device, ...]:
        """The jibsa devices this adapter drives now."""
        return tuple(linked.device for linked in self._linked.values())

    async def poll_now(self) -> None:
        """Read every device once (what the loop does every `poll_s`)."""
        await self._refresh()

    async def _run(self, first: asyncio.Event) -> None:
        try:
            await self._refresh()
        except Exception:  # the loop must outlive any one bad answer
            log.exception("thinq: the first listing failed")
        finally:
            first.set()
        next_poll = self.clock.now() + self.settings.poll_s
        while True:
            await self.clock.sleep_until(next_poll)
            next_poll = max(next_poll + self.settings.poll_s, self.clock.now())
            try:
                await self._refresh()
            except Exception:  # the loop must outlive any one bad answer
                log.exception("thinq: polling failed")

    async def _refresh(self) -> None:
        if not self._synced or self.clock.now() >= self._next_listing:
            try:
                await self._sync()
            except DeviceError as exc:
                self._account_trouble(exc)
                if not self._synced:
                    return
        await asyncio.gather(*(self._poll(linked) for linked in list(self._linked.values())))

    async def _sync(self) -> None:
        """List the account's devices: link the claimed ones, announce new ones, drop gone ones."""
        assert self._client is not None
        listing = await self._client.devices()
        known = {linked.thinq_id: linked for linked in self._linked.values()}
        now: dict[str, _Linked] = {}
        announced: list[Device] = []
        for entry in listing:
            thinq_id = str(entry.get("deviceId") or "")
            linked = known.get(thinq_id) or self._link(entry)
            if linked is None:
                continue
            now[linked.device.id] = linked
            if thinq_id not in known and linked.device.id not in self._home_ids:
                announced.append(linked.device)
        gone = [device_id for device_id in self._linked if device_id not in now]
        self._linked = now
        self._synced, self.problem = True, None
        self._next_listing = self.clock.now() + self.settings.relist_s
        for device_id in sorted(self._home_ids - set(now)):
            log.warning("thinq: %s is not in the LG account", device_id)
            self._set_available(device_id, False)
        if self._sink is not None and announced:
            self._sink.devices_discovered(announced)
        removed = [device_id for device_id in gone if device_id not in self._home_ids]
        if self._sink is not None and removed:
            self._sink.devices_removed(removed)

    def _link(self, entry: Mapping[str, Any]) -> _Linked | None:
        thinq_id = str(entry.get("deviceId") or "")
        info = entry.get("deviceInfo") or {}
        thinq_type = str(info.get("deviceType") or "")
        alias = str(info.get("alias") or thinq_type)
        device = self._claims.get(thinq_id) or self._by_name.pop(alias, None)
        kind = device.type if device is not None else jibsa_type(thinq_type)
        if not thinq_id or kind is None:
            log.info("thinq: %s (%s) has no jibsa type; left out", alias, thinq_type)
            return None
        if device is None:
            if not self.settings.discover:
                return None
            device = Device(
                device_id_for(thinq_id), alias, kind, vendor="thinq", maker="LG",
                options={DEVICE_OPTION: thinq_id, "thinq_model": str(info.get("modelName") or "")},
            )
        return _Linked(thinq_id, thinq_type, device)

    async def _poll(self, linked: _Linked) -> None:
        assert self._client is not None
        device = linked.device
        try:
            state = await self._client.state(linked.thinq_id, device.name)
        except AccountError as exc:
            self._account_trouble(exc)
            return
        except DeviceError as exc:
            log.warning("thinq: %s: %s", device.id, exc)
            self._set_available(device.id, False)
            return
        self._set_available(device.id, True)
        values = values_from_state(device.type, linked.thinq_type, state)
        if values and self._sink is not None:
            self._sink.state_reported(device.id, values)

    def _account_trouble(self, exc: DeviceError) -> None:
        if isinstance(exc, AccountError):
            self.problem = str(exc)
        log.error("thinq: %s", exc)

    def _set_available(self, device_id: str, available: bool) -> None:
        known = device_id not in self._unavailable
        if known == available:
            return
        if available:
            self._unavailable.discard(device_id)
        else:
            self._unavailable.add(device_id)
        if self._sink is not None:
            self._sink.availability_reported(device_id, available)


def create_adapter(ctx: AdapterContext) -> ThinQAdapter:
    """The ThinQ adapter for `ctx.home`. Settings: `token` (required), `country` (default KR),
    `client_id`, `base_url`, `poll_s` (60), `timeout_s` (4), `start_wait_s` (3), `relist_s` (3600),
    `retry_attempts` (3), `retry_base_s` (0.5), `discover` (true: announce account devices the home file
    does not list)."""
    return ThinQAdapter(ThinQSettings.from_mapping(ctx.settings, ctx.home.id), ctx.clock)


