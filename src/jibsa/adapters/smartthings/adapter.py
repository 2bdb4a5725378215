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

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession

from jibsa.adapters.cloud import AccountPoller, RetryPolicy
from jibsa.adapters.cloud.mapping import UnsupportedAction
from jibsa.adapters.cloud.settings import polling_settings
from jibsa.domain import Device, DeviceAction, Home
from jibsa.hub.adapter import AdapterContext, DeviceError
from jibsa.hub.clock import Clock

from . import messages
from .client import API_BASE, SmartThingsClient
from .mapping import Described, commands_for, describe, device_id_for, values_from_status

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
        return cls(token, str(raw.get("base_url") or API_BASE), **polling_settings(raw))


@dataclass(frozen=True, slots=True)
class _Linked:
    described: Described
    device: Device

    @property
    def vendor_id(self) -> str:
        return self.described.device_id


@dataclass(frozen=True, slots=True)
class _Entry:
    """One device of the listing, with the account's rooms (id -> name) to place it."""

    described: Described
    rooms: Mapping[str, str]


class SmartThingsAdapter(AccountPoller[_Linked, _Entry]):
    """One SmartThings account for one home. Build it with `create_adapter`."""

    name = "smartthings"
    device_option = DEVICE_OPTION
    account_label = "the SmartThings account"
    not_linked = staticmethod(messages.SMARTTHINGS.not_linked)

    def __init__(self, settings: SmartThingsSettings, clock: Clock, home: Home | None = None) -> None:
        super().__init__(settings, clock)
        self.settings = settings
        self._home = home
        self._client: SmartThingsClient | None = None

    async def _open(self) -> ClientSession:
        session = ClientSession()
        s = self.settings
        self._client = SmartThingsClient(
            session, s.token, self.clock, base_url=s.base_url, timeout_s=s.timeout_s, retry=s.retry
        )
        return session

    async def _perform(self, linked: _Linked, action: DeviceAction) -> None:
        assert self._client is not None
        device = linked.device
        try:
            commands = commands_for(device.type, linked.described.capabilities, action)
        except UnsupportedAction:
            raise DeviceError(messages.SMARTTHINGS.unsupported(device.name), "unsupported_intent") from None
        await self._client.execute(linked.described.device_id, device.name, commands)

    async def _list_entries(self) -> list[_Entry]:
        assert self._client is not None
        rooms = await self._client.rooms()
        return [_Entry(describe(raw), rooms) for raw in await self._client.devices()]

    def _vendor_id(self, entry: _Entry) -> str:
        return entry.described.device_id

    def _link(self, entry: _Entry) -> _Linked | None:
        described = entry.described
        device = self._home_device(described.device_id, described.label)
        if device is not None:
            return _Linked(described, device)
        if described.kind is None:
            log.info("smartthings: %s has no jibsa type; left out", described.label)
            return None
        if not self.settings.discover:
            return None
        room = self._room_for(entry.rooms.get(described.room_id or ""))
        device = Device(
            device_id_for(described.device_id),
            described.label,
            described.kind,
            room=room,
            vendor="smartthings",
            maker="Samsung",
            options={DEVICE_OPTION: described.device_id},
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

    async def _read_values(self, linked: _Linked) -> dict[str, Any]:
        assert self._client is not None
        device = linked.device
        components = await self._client.status(linked.described.device_id, device.name)
        return values_from_status(device.type, components, self.clock.now())


def _plain(name: str) -> str:
    return "".join(name.split()).lower()


def create_adapter(ctx: AdapterContext) -> SmartThingsAdapter:
    """The SmartThings adapter for `ctx.home`. Settings: `token` (required), `base_url`, `poll_s` (60),
    `timeout_s` (4), `start_wait_s` (3), `relist_s` (3600),
    `retry_attempts` (3), `retry_base_s` (0.5), `discover` (true)."""
    return SmartThingsAdapter(SmartThingsSettings.from_mapping(ctx.settings), ctx.clock, ctx.home)
