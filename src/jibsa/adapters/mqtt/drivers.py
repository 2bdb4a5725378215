"""Which driver reads an announced entity, and the jibsa device an entity (or a group) becomes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from jibsa.adapters.mqtt.components_basic import (
    ButtonDriver,
    CoverDriver,
    LightDriver,
    LockDriver,
    SwitchDriver,
    ValveDriver,
)
from jibsa.adapters.mqtt.components_climate import ClimateDriver, FanDriver, HumidifierDriver
from jibsa.adapters.mqtt.components_sensors import BinarySensorDriver, NativeDriver, SensorDriver, VacuumDriver
from jibsa.adapters.mqtt.discovery import DiscoveryConfig, DiscoveryError
from jibsa.adapters.mqtt.driver import EntityDriver
from jibsa.domain import Device, DeviceType, Home

DRIVERS: dict[str, type[EntityDriver]] = {
    "light": LightDriver, "switch": SwitchDriver, "button": ButtonDriver, "lock": LockDriver, "valve": ValveDriver,
    "cover": CoverDriver, "climate": ClimateDriver, "fan": FanDriver, "humidifier": HumidifierDriver,
    "sensor": SensorDriver, "binary_sensor": BinarySensorDriver, "vacuum": VacuumDriver,
}  # fmt: skip
_NOT_ID = re.compile(r"[^a-z0-9_]+")


def driver_for(cfg: DiscoveryConfig) -> EntityDriver:
    """The driver for an entity; DiscoveryError when jibsa cannot use it."""
    if "jibsa_type" in cfg.config:
        try:
            DeviceType(str(cfg.config["jibsa_type"]))
        except ValueError:
            raise DiscoveryError(f"unknown jibsa_type {cfg.config['jibsa_type']!r}") from None
        return NativeDriver(cfg)
    driver = DRIVERS[cfg.component](cfg)
    if driver.kind is DeviceType.SENSOR and not driver.measures:
        raise DiscoveryError(
            f"{cfg.component} with device_class {cfg.config.get('device_class')!r} measures nothing jibsa knows"
        )
    return driver


def device_id_for(cfg: DiscoveryConfig) -> str:
    """A jibsa id: the object id (or unique id) in lower case, a-z 0-9 _ only."""
    raw = cfg.config.get("object_id") or cfg.object_id or cfg.unique_id
    return _NOT_ID.sub("_", str(raw).lower()).strip("_") or "mqtt_device"


def room_for(home: Home, cfg: DiscoveryConfig) -> str | None:
    """The room the device block's suggested_area names (by room id, name or alias)."""
    area = str(cfg.device.get("suggested_area") or "").strip().lower()
    if not area:
        return None
    for room in home.rooms:
        if area == room.id or area in (n.lower() for n in room.names):
            return room.id
    return None


def device_from(home: Home, device_id: str, drivers: Sequence[EntityDriver]) -> Device:
    """The jibsa device for one entity, or for a device's sensor entities merged into one sensor."""
    first = drivers[0]
    name = str(first.c.get("name") or first.cfg.device.get("name") or device_id)
    if len(drivers) > 1 and first.cfg.device.get("name"):
        name = str(first.cfg.device["name"])
    measures = tuple(dict.fromkeys(m for d in drivers for m in d.measures))
    maker = str(first.cfg.device.get("manufacturer") or "")
    return Device(
        device_id,
        name,
        first.kind,
        room=room_for(home, first.cfg),
        vendor="mqtt",
        measures=measures,
        maker=maker,
        options={"mqtt_unique_id": first.cfg.unique_id},
    )
