"""`SmartThingsAdapter`: a SmartThings account's devices as jibsa devices.

On start it reads the account's rooms and devices, links each device to a home-file device that
claims it (`vendor: smartthings`, `options: {smartthings_device_id: "..."}`, or failing that the
same name as its label in the SmartThings app) and announces the others (`st_<id>`, in the home
room whose name matches the SmartThings room). It then polls each device's status on the injected
clock. A device that fails its poll is marked unavailable and the others carry on; a refused token
is reported in Korean and keeps the last known states, so a command still reaches the adapter and
the person hears why it failed.

Push (SmartThings subscriptions) needs a registered SmartApp with a public webhook, which a
local-first home does not have, so states are polled: every `poll_s` seconds and after each command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession

from jibsa.domain import Device, DeviceAction, Home
from jibsa.hub.adapter import AdapterContext, AdapterSink, DeviceError
from jibsa.hub.clock import Clock

from . import messages
from .client import API_BASE, AccountError, RetryPolicy, SmartThingsClient
from .mapping import Described, UnsupportedAction, commands_for, describe, device_id_for, values_from_status

log = logging.getLogger(__name__)
DEVICE_OPTION = "smartthings_device_id"  # a home-file device option: the SmartThings device it is


@dataclass(frozen=True, slots=True)
class SmartThingsSettings:
    """The `smartthings:` section of the configuration."""

    token: str
    base_url: str = API_BASE
    poll_s: float = 60.0
    timeout_s: float = 4.0
    start_wait_s: float = 3.0  # how long `start` waits for the first listing before going on
    relist_s: float = 3600.0  # how often the account's device list is read again (added, removed devices)
    retry: RetryPolicy = RetryPolicy()  # noqa: RUF009 -- frozen, so one shared default is safe
    discover: bool = True

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> SmartThingsSettings:
        token = str(raw.get("token") or "").strip()
        if not token:
            raise ValueError(
                "smartthings settings: token is missing (a personal access token from account.smartthings.com/tokens)"
            )
        retry = RetryPolicy(int(raw.get("retry_attempts", 3)), float(raw.get("retry_base_s", 0.5)))
        return cls(
            token, str(raw.get("base_url") or API_BASE), poll_s=float(raw.get("poll_s", 60.0)),
            timeout_s=float(raw.get("timeout_s", 4.0)),
            start_wait_s=float(raw.get("start_wait_s", 3.0)), relist_s=float(raw.get("relist_s", 3600.0)),
            retry=retry,
            discover=bool(raw.get("discover", True)),
        )


@dataclass(frozen=True, slots=True)
class _Linked:
    described: Described
    device: Device


class SmartThingsAdapter:
    """One SmartThings account for one home. Build it with `create_adapter`."""

    name = "smartthings"

    def __init__(self, settings: SmartThingsSettings, clock: Clock, home: Home | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.problem: str | None = None  # what is wrong with the account now, in Korean
        self._home = home
        self._claims: dict[str, Device] = {}
        self._by_name: dict[str, Device] = {}
        self._home_ids: set[str] = set()
        self._linked: dict[str, _Linked] = {}
        self._unavailable: set[str] = set()
        self._synced = False
        self._next_listing = 0.0
        self._sink: AdapterSink | None = None
        self._session: ClientSession | None = None
        self._client: SmartThingsClient | None = None
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
        self._session = ClientSession()
        s = self.settings
        self._client = SmartThingsClient(
            self._session, s.token, self.clock, base_url=s.base_url, timeout_s=s.timeout_s, retry=s.retry
        )
        # The first listing runs in the polling task: a slow cloud delays the hub's start by at
        # most `start_wait_s`, and the devices join when the cloud answers.
        first = asyncio.Event()
        self._task = asyncio.create_task(self._run(first), name="jibsa-smartthings-poll")
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
        """Send the commands for `action`, then read the device back and report its state."""
        linked = self._linked.get(action.device_id)
        client = self._client
        if linked is None and not self._synced and self.problem is not None:
            raise AccountError(self.problem)  # the account could not even be listed: say why
        if linked is None or client is None:
            raise DeviceError(messages.NOT_LINKED.format(name=action.device_id), "unknown_device")
        device = linked.device
        try:
            commands = commands_for(device.type, linked.described.capabilities, action)
        except UnsupportedAction:
            raise DeviceError(messages.UNSUPPORTED.format(name=device.name), "unsupported_intent") from None
        try:
            await client.execute(linked.described.device_id, device.name, commands)
        except AccountError as exc:
            self.problem = str(exc)
            raise
        await self._poll(linked)

    # -- inside -----------------------------------------------------------------------------------

    @property
    def devices(self) -> tuple[Device, ...]:
        return tuple(linked.device for linked in self._linked.values())

    async def poll_now(self) -> None:
        await self._refresh()

    async def _run(self, first: asyncio.Event) -> None:
        try:
            await self._refresh()
        except Exception:  # the loop must outlive any one bad answer
            log.exception("smartthings: the first listing failed")
        finally:
            first.set()
        next_poll = self.clock.now() + self.settings.poll_s
        while True:
            await self.clock.sleep_until(next_poll)
            next_poll = max(next_poll + self.settings.poll_s, self.clock.now())
            try:
                await self._refresh()
            except Exception:  # the loop must outlive any one bad answer
                log.exception("smartthings: polling failed")

    async def _refresh(self) -> None:
        if not self._synced or self.clock.now() >= self._next_listing:
            try:
                await self._sync()
            except DeviceError as exc:
                if isinstance(exc, AccountError):
                    self.problem = str(exc)
                log.error("smartthings: %s", exc)
                if not self._synced:
                    return
        await asyncio.gather(*(self._poll(linked) for linked in list(self._linked.values())))

    async def _sync(self) -> None:
        """List rooms and devices: link the claimed ones, announce new ones, drop gone ones."""
        assert self._client is not None
        rooms = await self._client.rooms()
        known = {linked.described.device_id: linked for linked in self._linked.values()}
        now: dict[str, _Linked] = {}
        announced: list[Device] = []
        for raw in await self._client.devices():
            described = describe(raw)
            linked = known.get(described.device_id) or self._link(described, rooms)
            if linked is None:
                continue
            now[linked.device.id] = linked
            if described.device_id not in known and linked.device.id not in self._home_ids:
                announced.append(linked.device)
        gone = [device_id for device_id in self._linked if device_id not in now]
        self._linked = now
        self._synced, self.problem = True, None
        self._next_listing = self.clock.now() + self.settings.relist_s
        for device_id in sorted(self._home_ids - set(now)):
            log.warning("smartthings: %s is not in the SmartThings account", device_id)
            self._set_available(device_id, False)
        if self._sink is not None and announced:
            self._sink.devices_discovered(announced)
        removed = [device_id for device_id in gone if device_id not in self._home_ids]
        if self._sink is not None and removed:
            self._sink.devices_removed(removed)

    def _link(self, described: Described, rooms: Mapping[str, str]) -> _Linked | None:
        device = self._claims.get(described.device_id) or self._by_name.pop(described.label, None)
        if device is not None:
            return _Linked(described, device)
        if described.kind is None:
            log.info("smartthings: %s has no jibsa type; left out", described.label)
            return None
        if not self.settings.discover:
            return None
        room = self._room_for(rooms.get(described.room_id or ""))
        device = Device(
            device_id_for(described.device_id), described.label, described.kind, room=room,
            vendor="smartthings", maker="Samsung", options={DEVICE_OPTION: described.device_id},
        )
        return _Linked(described, device)

    def _room_for(self, st_room: str | None) -> str | None:
        """The home room named like the SmartThings room (spaces and case aside), if any."""
        if not st_room or self._home is None:
            return None
        wanted = _plain(st_room)
        for room in self._home.rooms:
            if wanted in (_plain(n) for n in room.names):
                return room.id
        return None

    async def _poll(self, linked: _Linked) -> None:
        assert self._client is not None
        device = linked.device
        try:
            components = await self._client.status(linked.described.device_id, device.name)
        except AccountError as exc:
            self.problem = str(exc)
            log.error("smartthings: %s", exc)
            return
        except DeviceError as exc:
            log.warning("smartthings: %s: %s", device.id, exc)
            self._set_available(device.id, False)
            return
        self._set_available(device.id, True)
        values = values_from_status(device.type, components, self.clock.now())
        if values and self._sink is not None:
            self._sink.state_reported(device.id, values)

    def _set_available(self, device_id: str, available: bool) -> None:
        if (device_id not in self._unavailable) == available:
            return
        if available:
            self._unavailable.discard(device_id)
        else:
            self._unavailable.add(device_id)
        if self._sink is not None:
            self._sink.availability_reported(device_id, available)


def _plain(name: str) -> str:
    return "".join(name.split()).lower()


def create_adapter(ctx: AdapterContext) -> SmartThingsAdapter:
    """The SmartThings adapter for `ctx.home`. Settings: `token` (required), `base_url`, `poll_s` (60),
    `timeout_s` (4), `start_wait_s` (3), `relist_s` (3600),
    `retry_attempts` (3), `retry_base_s` (0.5), `discover` (true)."""
    return SmartThingsAdapter(SmartThingsSettings.from_mapping(ctx.settings), ctx.clock, ctx.home)
