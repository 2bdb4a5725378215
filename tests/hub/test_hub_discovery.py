"""Devices that adapters discover at run time join the home; clashing ids are refused."""

from __future__ import annotations

from jibsa.domain import Command, Device, DeviceType
from jibsa.hub import HomeChanged, Hub


async def test_discovered_device_joins_the_home_and_takes_commands(home, store, clock, adapter) -> None:
    mqtt = type(adapter)()
    mqtt.name = "mqtt"
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        changes: list[HomeChanged] = []
        hub.bus.listen(lambda e: changes.append(e) if isinstance(e, HomeChanged) else None)
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered([Device("plug_1", "전기 플러그", DeviceType.SWITCH, room="living")])
        assert hub.home.device("plug_1") is not None and hub.home.device("plug_1").vendor == "mqtt"
        assert changes[0].added == ("plug_1",)
        outcome = await hub.execute(Command("turn_on", ("plug_1",)))
        assert outcome.ok and mqtt.sent[-1].device_id == "plug_1"
        mqtt.sink.devices_removed(["plug_1"])
        assert hub.home.device("plug_1") is None


async def test_discovery_cannot_take_over_a_device_of_another_vendor(home, store, clock, adapter) -> None:
    mqtt = type(adapter)()
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered([Device("lamp", "가짜 스탠드", DeviceType.SWITCH)])
        assert hub.home.device("lamp") is not None and hub.home.device("lamp").type is DeviceType.LIGHT
        mqtt.sink.devices_removed(["lamp"])
        assert hub.home.device("lamp") is not None
