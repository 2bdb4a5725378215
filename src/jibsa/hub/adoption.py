"""Discovered devices that must not simply join the home.

Anything on the broker can announce itself. A discovered lock, gas valve or garage door waits for an
owner to adopt it: it is known and listed, but commands to it are refused and its name does not reach
the parser (it is not in the home) until adopted. A discovered device whose name or alias is already
another device's gets a distinct name, and the change is logged: "현관문 잠가줘" never reaches a
stranger's lock.

A safety device already known that is announced again from somewhere else (another discovery topic,
other command or state topics) goes back to waiting, and the household is told (`AdoptionNeeded`):
otherwise whoever can publish on the broker could take over the home's own lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from jibsa.domain import Device, DeviceType
from jibsa.domain.events import Audience
from jibsa.domain.home import clean_name, name_key

log = logging.getLogger(__name__)

SAFETY_TYPES = frozenset({DeviceType.DOOR_LOCK, DeviceType.GAS_VALVE, DeviceType.GARAGE_DOOR})
ADOPTED_LIST = "_adopted_devices"  # the store's list (per home) of device ids an owner adopted


@dataclass(frozen=True, slots=True)
class AdoptionNeeded:
    """A known safety device was announced from somewhere else and waits for an owner again."""

    home_id: str
    device: Device

    audience: ClassVar[Audience] = Audience("", owners=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "adoption_needed",
            "device": self.device.id,
            "name": self.device.name,
            "device_type": self.device.type.value,
        }


def names_taken(devices: Iterable[Device]) -> dict[str, str]:
    """Every name and alias in use (as `name_key` compares them), and the id of a device that has it."""
    return {name_key(name): device.id for device in devices for name in device.names}


def distinct_name(device: Device, vendor: str, taken: Mapping[str, str]) -> Device:
    """`device`, renamed when its name or an alias is already another device's name or alias (`taken`,
    from `names_taken`): suffixed with its maker (or vendor), then its id; aliases that clash are dropped."""

    def clashes(name: str) -> bool:
        return taken.get(name_key(name), device.id) != device.id

    # NFD, or a zero-width space, must neither hide a clash nor reach the parser.
    device = replace(device, name=clean_name(device.name), aliases=tuple(clean_name(a) for a in device.aliases))
    if not any(clashes(name) for name in device.names):
        return device
    for candidate in (f"{device.name} ({device.maker or vendor})", f"{device.name} ({device.id})"):
        if not clashes(candidate):
            break
    aliases = tuple(a for a in device.aliases if not clashes(a))
    log.warning(
        "%s: discovered %s %r is named like a device of the home; it is called %r instead",
        vendor,
        device.id,
        device.name,
        candidate,
    )
    return replace(device, name=candidate, aliases=aliases)


class AdoptionBook:
    """Safety devices announced but not yet adopted, with the last state each reported meanwhile."""

    def __init__(self) -> None:
        self.adopted: set[str] = set()
        self.waiting: dict[str, Device] = {}
        self._states: dict[str, dict[str, Any]] = {}

    def must_wait(self, device: Device) -> bool:
        return device.type in SAFETY_TYPES and device.id not in self.adopted

    def hold(self, device: Device) -> None:
        if device.id not in self.waiting:
            log.warning(
                "%s: discovered %s %r (%s) waits for an owner to adopt it",
                device.vendor,
                device.type.value,
                device.name,
                device.id,
            )
        self.waiting[device.id] = device

    def report(self, device_id: str, values: Mapping[str, Any]) -> bool:
        """Keep a waiting device's state; False when `device_id` is not waiting."""
        if device_id not in self.waiting:
            return False
        self._states.setdefault(device_id, {}).update(values)
        return True

    def release(self, device_id: str) -> tuple[Device, dict[str, Any]] | None:
        """The adopted device and its state so far; None when it is not waiting."""
        device = self.waiting.pop(device_id, None)
        if device is None:
            return None
        self.adopted.add(device_id)
        return device, self._states.pop(device_id, {})

    def hold_again(self, device: Device) -> bool:
        """A known device announced from somewhere else: it waits again. False for a device that need not
        wait (not a safety device)."""
        if device.type not in SAFETY_TYPES:
            return False
        self.adopted.discard(device.id)
        log.warning(
            "%s: %s %r (%s) was announced from somewhere else; it waits for an owner to adopt it again",
            device.vendor,
            device.type.value,
            device.name,
            device.id,
        )
        self.waiting[device.id] = device
        return True

    def forget(self, device_ids: Iterable[str]) -> None:
        for device_id in device_ids:
            self.waiting.pop(device_id, None)
            self._states.pop(device_id, None)
