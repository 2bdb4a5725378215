"""`AccountPoller`: the part of a cloud adapter that does not depend on the vendor.

It links the account's devices to home-file devices (by `options.<vendor>_device_id`, or failing
that by name), announces the others, polls every device concurrently on the injected clock, marks a
device that fails its poll unavailable while the others carry on, relists the account every
`relist_s` seconds, and keeps a refused token's message in `problem` (the last known states stay).
A vendor's adapter subclasses it and supplies the calls: listing, linking, reading and commanding.

A cloud accepting a command is not the device doing it: the appliance gets it from the cloud and
its state changes later, or never (it is off the network, its door is open). So `send` returns
`Receipt.AWAIT_STATE`, reads the device back at once, and again `FOLLOW_UP_S` after the command until
its state shows the command; the hub says "done" only then, and "unconfirmed" if it never does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from aiohttp import ClientSession

from jibsa.domain import Device, DeviceAction
from jibsa.domain.said import Said
from jibsa.hub.adapter import AdapterSink, DeviceError, Receipt
from jibsa.hub.clock import Clock
from jibsa.hub.expectations import Expected, expected_state, shows

from .retry import AccountError

log = logging.getLogger(__name__)
# Seconds after a command at which a device whose state did not show it yet is read again (a poll
# every few seconds would cost every device a request; the hub's confirmation wait is 5 s by default).
FOLLOW_UP_S = (1.0, 2.0, 4.0)


class Linked(Protocol):
    """A jibsa device bound to one device of the account."""

    @property
    def device(self) -> Device: ...

    @property
    def vendor_id(self) -> str: ...


class PollingSettings(Protocol):
    """The settings `AccountPoller` reads."""

    @property
    def poll_s(self) -> float: ...

    @property
    def start_wait_s(self) -> float: ...

    @property
    def relist_s(self) -> float: ...

    @property
    def discover(self) -> bool: ...


L = TypeVar("L", bound=Linked)
E = TypeVar("E")  # one entry of the account's device listing, as the vendor reads it


class AccountPoller(ABC, Generic[L, E]):
    """One cloud account for one home: a `DeviceAdapter` whose vendor calls are the subclass's."""

    name: str  # the adapter's name, also the prefix of its log lines
    device_option: str  # a home-file device option: the account's device this device is
    account_label: str  # how log lines name the account, e.g. "the LG account"
    not_linked: Callable[[str], Said]  # what to say of a command for a device the account has not got

    def __init__(self, settings: PollingSettings, clock: Clock) -> None:
        self.clock = clock
        self.problem: str | Said | None = None  # what is wrong with the account now
        self._polling = settings
        self._claims: dict[str, Device] = {}
        self._by_name: dict[str, Device] = {}
        self._home_ids: set[str] = set()
        self._linked: dict[str, L] = {}  # by jibsa id
        self._unavailable: set[str] = set()
        self._synced = False
        self._opened = False
        self._session: ClientSession | None = None
        self._next_listing = 0.0
        self._sink: AdapterSink | None = None
        self._task: asyncio.Task[None] | None = None
        self._last_values: dict[str, dict[str, Any]] = {}  # by jibsa id: what the cloud said last
        self._follow_ups: dict[str, asyncio.Task[None]] = {}  # by jibsa id: reading back after a command

    # -- what a vendor supplies -------------------------------------------------------------------

    @abstractmethod
    async def _open(self) -> ClientSession:
        """Open the client; the session it returns is closed on `stop`."""

    @abstractmethod
    async def _list_entries(self) -> Sequence[E]:
        """The account's devices, as listed now."""

    @abstractmethod
    def _vendor_id(self, entry: E) -> str:
        """The account's id of the device `entry` lists."""

    @abstractmethod
    def _link(self, entry: E) -> L | None:
        """A new link for `entry` (to a home device from `_home_device`, or a new one), or None."""

    @abstractmethod
    async def _read_values(self, linked: L) -> dict[str, Any]:
        """The device's state values now; raises `DeviceError` (or `AccountError`)."""

    @abstractmethod
    async def _perform(self, linked: L, action: DeviceAction) -> None:
        """Send `action` to the device; raises `DeviceError` when it cannot."""

    # -- DeviceAdapter ----------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        """Link and announce the account's devices and report their states; keep polling."""
        self._sink = sink
        self._home_ids = {d.id for d in devices}
        for device in devices:
            claimed = device.options.get(self.device_option)
            if claimed:
                self._claims[str(claimed)] = device
            else:
                self._by_name[device.name] = device
        self._session = await self._open()
        self._opened = True
        # The first listing runs in the polling task: a slow cloud delays the hub's start by at
        # most `start_wait_s`, and the devices join when the cloud answers.
        first = asyncio.Event()
        self._task = asyncio.create_task(self._run(first), name=f"jibsa-{self.name}-poll")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._polling.start_wait_s):
                await first.wait()

    async def stop(self) -> None:
        tasks = [self._task, *self._follow_ups.values()]
        self._task, self._follow_ups = None, {}
        for task in tasks:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._sink = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, action: DeviceAction) -> Receipt:
        """Send `action`, then read the device back and report its state, again later if it does
        not show the action yet; the hub waits for the state to show it."""
        linked = self._linked.get(action.device_id)
        if linked is None and not self._synced and self.problem is not None:
            raise AccountError(self.problem)  # the account could not even be listed: say why
        if linked is None or not self._opened:  # opened once, the client stays
            raise DeviceError(self.not_linked(action.device_id), "unknown_device")
        expected = expected_state(linked.device, action)
        before = self._last_values.get(action.device_id)
        try:
            await self._perform(linked, action)
        except AccountError as exc:
            self.problem = exc.said or str(exc)
            raise
        sent_at = self.clock.now()
        if not _shown(linked.device, await self._poll(linked), expected, before):
            self._follow_up(linked, sent_at, expected, before)
        return Receipt.AWAIT_STATE

    # -- inside -----------------------------------------------------------------------------------

    @property
    def devices(self) -> tuple[Device, ...]:
        """The jibsa devices this adapter drives now."""
        return tuple(linked.device for linked in self._linked.values())

    def _home_device(self, vendor_id: str, name: str) -> Device | None:
        """The home-file device that claims `vendor_id`, or failing that one named `name` (once)."""
        return self._claims.get(vendor_id) or self._by_name.pop(name, None)

    async def _run(self, first: asyncio.Event) -> None:
        try:
            await self._refresh()
        except Exception:  # the loop must outlive any one bad answer
            log.exception("%s: the first listing failed", self.name)
        finally:
            first.set()
        poll_s = self._polling.poll_s
        next_poll = self.clock.now() + poll_s
        while True:
            await self.clock.sleep_until(next_poll)
            next_poll = max(next_poll + poll_s, self.clock.now())
            try:
                await self._refresh()
            except Exception:  # the loop must outlive any one bad answer
                log.exception("%s: polling failed", self.name)

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
        entries = await self._list_entries()
        known = {linked.vendor_id: linked for linked in self._linked.values()}
        now: dict[str, L] = {}
        announced: list[Device] = []
        for entry in entries:
            vendor_id = self._vendor_id(entry)
            linked = known.get(vendor_id) or self._link(entry)
            if linked is None:
                continue
            now[linked.device.id] = linked
            if vendor_id not in known and linked.device.id not in self._home_ids:
                announced.append(linked.device)
        gone = [device_id for device_id in self._linked if device_id not in now]
        self._linked = now
        self._synced, self.problem = True, None
        self._next_listing = self.clock.now() + self._polling.relist_s
        self._report_listing(sorted(self._home_ids - set(now)), announced, gone)

    def _report_listing(self, missing: list[str], announced: list[Device], gone: list[str]) -> None:
        for device_id in missing:
            log.warning("%s: %s is not in %s", self.name, device_id, self.account_label)
            self._set_available(device_id, False)
        if self._sink is not None and announced:
            self._sink.devices_discovered(announced)
        removed = [device_id for device_id in gone if device_id not in self._home_ids]
        if self._sink is not None and removed:
            self._sink.devices_removed(removed)

    async def _poll(self, linked: L) -> dict[str, Any] | None:
        """Read the device and report what it says; its values, or None when it could not be read."""
        device = linked.device
        try:
            values = await self._read_values(linked)
        except AccountError as exc:
            self._account_trouble(exc)
            return None
        except DeviceError as exc:
            log.warning("%s: %s: %s", self.name, device.id, exc)
            self._set_available(device.id, False)
            return None
        self._set_available(device.id, True)
        self._last_values[device.id] = values
        if values and self._sink is not None:
            self._sink.state_reported(device.id, values)
        return values

    def _follow_up(self, linked: L, sent_at: float, expected: Expected, before: dict[str, Any] | None) -> None:
        """Read the device again `FOLLOW_UP_S` after a command until it shows it; a newer command to
        the same device replaces the reading back of an older one."""
        device_id = linked.device.id
        previous = self._follow_ups.pop(device_id, None)
        if previous is not None:
            previous.cancel()
        task = asyncio.create_task(
            self._read_back(linked, sent_at, expected, before), name=f"jibsa-{self.name}-read-back-{device_id}"
        )
        self._follow_ups[device_id] = task
        task.add_done_callback(
            lambda done: self._follow_ups.pop(device_id, None) if self._follow_ups.get(device_id) is done else None
        )

    async def _read_back(self, linked: L, sent_at: float, expected: Expected, before: dict[str, Any] | None) -> None:
        for delay in FOLLOW_UP_S:
            await self.clock.sleep_until(sent_at + delay)
            try:
                values = await self._poll(linked)
            except Exception:  # a bad answer ends the reading back; the regular poll carries on
                log.exception("%s: reading %s back failed", self.name, linked.device.id)
                return
            if _shown(linked.device, values, expected, before):
                return

    def _account_trouble(self, exc: DeviceError) -> None:
        if isinstance(exc, AccountError):
            self.problem = exc.said or str(exc)
        log.error("%s: %s", self.name, exc)

    def _set_available(self, device_id: str, available: bool) -> None:
        if (device_id not in self._unavailable) == available:
            return
        if available:
            self._unavailable.discard(device_id)
        else:
            self._unavailable.add(device_id)
        if self._sink is not None:
            self._sink.availability_reported(device_id, available)


def _shown(device: Device, values: dict[str, Any] | None, expected: Expected, before: dict[str, Any] | None) -> bool:
    """Whether values read after a command show it: the expected values, or with no one value to
    expect (start, stop), any change from what was read before it."""
    if values is None:
        return False
    if expected is None:
        return values != before
    return shows(device, values, expected)
