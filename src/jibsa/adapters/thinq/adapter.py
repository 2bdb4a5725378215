"""`ThinQAdapter`: an LG ThinQ account's appliances as jibsa devices.

On start it lists the account's devices, links each to a home-file device that claims it
(`vendor: thinq`, `options: {thinq_device_id: "..."}`, or failing that the same name as the
device's alias in the LG app) and announces the others as new devices (`thinq_<id>`), then polls
every device's state on the injected clock. A device that fails its poll is marked unavailable and
the others carry on; a refused token is reported (in Korean) and keeps the last known states, so
a command still reaches the adapter and the person hears why it failed.

Push (LG's MQTT over AWS IoT, which needs a client certificate issued per client) is not used:
states are polled, every `poll_s` seconds and right after each command.

Energy: for an appliance whose energy profile lists `totalEnergy`, this month's use as LG reports it
(ThinQ Connect's energy usage API, MONTHLY) is read every `energy_s` seconds and reported as
`energy_kwh`, a count that rises as LG adds each day and starts again from zero each month (the
recorder reads the fall as a new count). LG reports use a day at a time and late; use added to the
last day of a month after the month has turned is not counted.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import ClientSession
from thinqconnect import ThinQApi
from thinqconnect.country import get_region_from_country

from jibsa.adapters.cloud import AccountPoller, RetryPolicy
from jibsa.adapters.cloud.mapping import UnsupportedAction
from jibsa.adapters.cloud.retry import AccountError
from jibsa.adapters.cloud.settings import polling_settings
from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import AdapterContext, DeviceError
from jibsa.hub.clock import Clock

from . import messages
from .client import ThinQClient, cloud_session
from .mapping import control_for, device_id_for, jibsa_type, values_from_state

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
    energy_s: float = 3600.0  # how often each appliance's use is read (LG adds it a day at a time)
    timezone: str = "Asia/Seoul"  # the account's months are this zone's

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
        return cls(
            token,
            country,
            client_id,
            str(raw.get("base_url") or ""),
            **polling_settings(raw),
            energy_s=float(raw.get("energy_s", 3600.0)),
            timezone=str(raw.get("timezone") or "Asia/Seoul"),
        )


@dataclass(frozen=True, slots=True)
class _Linked:
    thinq_id: str
    thinq_type: str
    device: Device

    @property
    def vendor_id(self) -> str:
        return self.thinq_id


class ThinQAdapter(AccountPoller[_Linked, Mapping[str, Any]]):
    """One LG account for one home. Build it with `create_adapter` (the `jibsa.adapters` entry point)."""

    name = "thinq"
    device_option = DEVICE_OPTION
    account_label = "the LG account"
    not_linked = staticmethod(messages.THINQ.not_linked)

    def __init__(self, settings: ThinQSettings, clock: Clock) -> None:
        super().__init__(settings, clock)
        self.settings = settings
        self._client: ThinQClient | None = None
        self._energy_property: dict[str, str] = {}  # by LG id: the property read ("" : none)
        self._energy_due: dict[str, float] = {}  # by LG id: when the use is next read

    async def _open(self) -> ClientSession:
        session = cloud_session(self.settings.base_url)
        api = ThinQApi(session, self.settings.token, self.settings.country, self.settings.client_id)
        self._client = ThinQClient(api, self.clock, timeout_s=self.settings.timeout_s, retry=self.settings.retry)
        return session

    async def _perform(self, linked: _Linked, action: DeviceAction) -> None:
        assert self._client is not None
        name = linked.device.name
        try:
            payload = control_for(linked.device.type, linked.thinq_type, action)
        except UnsupportedAction:
            raise DeviceError(messages.THINQ.unsupported(name), "unsupported_intent") from None
        await self._client.control(linked.thinq_id, name, payload)

    async def _list_entries(self) -> list[dict[str, Any]]:
        assert self._client is not None
        return await self._client.devices()

    def _vendor_id(self, entry: Mapping[str, Any]) -> str:
        return str(entry.get("deviceId") or "")

    def _link(self, entry: Mapping[str, Any]) -> _Linked | None:
        thinq_id = self._vendor_id(entry)
        info = entry.get("deviceInfo") or {}
        thinq_type = str(info.get("deviceType") or "")
        alias = str(info.get("alias") or thinq_type)
        device = self._home_device(thinq_id, alias)
        kind = device.type if device is not None else jibsa_type(thinq_type)
        if not thinq_id or kind is None:
            log.info("thinq: %s (%s) has no jibsa type; left out", alias, thinq_type)
            return None
        if device is None:
            if not self.settings.discover:
                return None
            device = Device(
                device_id_for(thinq_id),
                alias,
                kind,
                vendor="thinq",
                maker="LG",
                options={DEVICE_OPTION: thinq_id, "thinq_model": str(info.get("modelName") or "")},
            )
        return _Linked(thinq_id, thinq_type, device)

    async def _read_values(self, linked: _Linked) -> dict[str, Any]:
        assert self._client is not None
        state = await self._client.state(linked.thinq_id, linked.device.name)
        values = values_from_state(linked.device.type, linked.thinq_type, state)
        return {**values, **await self._energy(linked)}

    async def _energy(self, linked: _Linked) -> dict[str, Any]:
        """`{"energy_kwh": …}` (this month's use) when due and the appliance reports it, else {}."""
        assert self._client is not None
        now = self.clock.now()
        if now < self._energy_due.get(linked.thinq_id, float("-inf")):
            return {}
        self._energy_due[linked.thinq_id] = now + self.settings.energy_s
        name = linked.device.name
        try:
            if linked.thinq_id not in self._energy_property:
                found = await self._client.energy_properties(linked.thinq_id, name)
                self._energy_property[linked.thinq_id] = "totalEnergy" if "totalEnergy" in found else ""
            prop = self._energy_property[linked.thinq_id]
            if not prop:
                return {}
            month = datetime.fromtimestamp(now, ZoneInfo(self.settings.timezone)).strftime("%Y%m")
            return {"energy_kwh": await self._client.month_energy_wh(linked.thinq_id, name, prop, month) / 1000}
        except AccountError:
            raise
        except DeviceError as exc:  # the use is a nicety: a failure to read it leaves the state as it is
            log.info("thinq: %s: energy not read: %s", name, exc)
            if linked.thinq_id not in self._energy_property:
                self._energy_property[linked.thinq_id] = ""  # no energy profile: not asked again
            return {}


def create_adapter(ctx: AdapterContext) -> ThinQAdapter:
    """The ThinQ adapter for `ctx.home`. Settings: `token` (required), `country` (default KR),
    `client_id`, `base_url`, `poll_s` (60), `timeout_s` (4), `start_wait_s` (3), `relist_s` (3600),
    `retry_attempts` (3), `retry_base_s` (0.5), `discover` (true: announce account devices the home file
    does not list), `energy_s` (3600: how often each appliance's use is read), `timezone` (Asia/Seoul)."""
    return ThinQAdapter(ThinQSettings.from_mapping(ctx.settings, ctx.home.id), ctx.clock)
