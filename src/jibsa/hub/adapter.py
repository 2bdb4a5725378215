"""The one way the hub reaches devices: an adapter. The simulator, MQTT, ThinQ and SmartThings
each satisfy `DeviceAdapter`; the hub never knows which one it talks to."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from jibsa.domain import Device, DeviceAction, Home
from jibsa.domain.said import Said
from jibsa.hub.adapter_notes import AdapterNotes
from jibsa.hub.clock import Clock


class AdapterSink(Protocol):
    """What an adapter tells the hub. Both calls are cheap and never block."""

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        """The device reports these property values (a partial state is fine)."""
        ...

    def availability_reported(self, device_id: str, available: bool) -> None:
        """The device went offline (False) or came back (True)."""
        ...

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        """New devices announced themselves (MQTT discovery, a cloud account): the home gains them.
        A device whose id the home already has from another vendor is refused and logged."""
        ...

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        """Devices this adapter announced earlier are gone."""
        ...

    def devices_moved(self, devices: Sequence[Device]) -> None:
        """Devices already known were announced again from somewhere else (another discovery topic, other
        command or state topics): a safety device among them waits for an owner to adopt it again."""
        ...


class DeviceError(Exception):
    """An adapter could not carry out an action. `code` is an ErrorCode value; `why` is what to tell a
    person: a `Said` (a key of the words catalogue, worded in the reader's language), or a sentence
    (an adapter from another package may have only that)."""

    def __init__(self, why: str | Said, code: str = "device_error") -> None:
        super().__init__(why if isinstance(why, str) else f"{why.key} {dict(why.fields)}")
        self.code = code
        self.said = why if isinstance(why, Said) else None


class DeviceNotAnswering(DeviceError):
    """The device (or its cloud, or the broker) did not answer."""

    def __init__(self, why: str | Said) -> None:
        super().__init__(why, "not_answering")


class Receipt(StrEnum):
    """What `DeviceAdapter.send` says about the device once the action has gone out.

    An adapter that returns None means APPLIED (the protocol predates this type: plug-in adapters
    written before it keep working unchanged)."""

    APPLIED = "applied"  # the device's reported state already shows the action (the simulator)
    AWAIT_STATE = "await_state"  # the device reports its state: the hub waits for it to show the action
    NO_STATE = "no_state"  # the device cannot report (no state topic, a button): delivered, unconfirmable


class DeviceAdapter(Protocol):
    """An adapter drives the devices of one vendor for one home."""

    name: str

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        """Begin driving `devices`; report their current state through `sink` as it becomes known."""
        ...

    async def stop(self) -> None:
        """Release everything; no call to `sink` after this returns."""
        ...

    async def send(self, action: DeviceAction) -> Receipt | None:
        """Carry out `action`. Returns once the device (or its broker or cloud) accepted it, saying
        whether its state already shows it (None or APPLIED), will show it (AWAIT_STATE: the hub
        waits for the state to confirm), or cannot (NO_STATE); raises `DeviceError` otherwise."""
        ...


@runtime_checkable
class FollowsAdoption(Protocol):
    """An adapter that wants to know when an owner adopts one of its devices (MQTT: where the device is
    announced now becomes where it belongs)."""

    async def adopted(self, device_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class AdapterContext:
    """What an adapter factory gets: the home, its clock, the state last persisted for its devices,
    the adapter's settings (from the command line or configuration), and its notes kept across restarts
    (None when the home runs without a store for them)."""

    home: Home
    clock: Clock
    saved_states: Mapping[str, Mapping[str, Any]]
    settings: Mapping[str, Any]
    notes: AdapterNotes | None = None


AdapterFactory = Callable[[AdapterContext], DeviceAdapter]
