"""A discovered lock, gas valve or garage door waits for an owner; a discovered name never joins another's."""

from __future__ import annotations

import unicodedata

from jibsa.domain import Command, Device, DeviceType, ErrorCode
from jibsa.hub import Hub
from jibsa.nlu import Parser


def _mqtt(adapter):  # type: ignore[no-untyped-def]
    mqtt = type(adapter)()
    mqtt.name = "mqtt"
    return mqtt


STRANGER = Device("stranger_lock", "현관문", DeviceType.DOOR_LOCK, maker="Acme")


async def test_a_discovered_lock_waits_is_refused_and_unnamed_until_adopted(home, store, clock, adapter) -> None:
    mqtt = _mqtt(adapter)
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered([Device("garage", "차고 문", DeviceType.GARAGE_DOOR)])
        mqtt.sink.state_reported("garage", {"position": 0})
        assert hub.home.device("garage") is None and "garage" in hub.adoption.waiting
        refused = await hub.execute(Command("open", ("garage",)))
        assert refused.results[0].error is ErrorCode.NOT_ALLOWED and refused.results[0].detail["awaiting_adoption"]
        assert mqtt.sent == []
        assert Parser(hub.home).parse("차고 문 열어").commands == ()
        adopted = await hub.adopt("garage")
        assert adopted is not None and hub.home.device("garage") is not None
        assert hub.state("garage") == {"position": 0}  # what it reported while waiting
        assert (await hub.execute(Command("open", ("garage",)))).ok
        assert [c.targets for c in Parser(hub.home).parse("차고 문 열어").commands] == [("garage",)]


async def test_adoption_survives_a_restart(home, store, clock, adapter) -> None:
    mqtt = _mqtt(adapter)
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered([Device("valve_2", "보일러실 밸브", DeviceType.GAS_VALVE)])
        assert await hub.adopt("valve_2") is not None
        assert await hub.adopt("valve_2") is None  # nothing left to adopt
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        mqtt.sink.devices_discovered(
            [
                Device("valve_2", "보일러실 밸브", DeviceType.GAS_VALVE),
                Device("valve_3", "다른 밸브", DeviceType.GAS_VALVE),
            ]
        )
        assert hub.home.device("valve_2") is not None
        assert hub.home.device("valve_3") is None and list(hub.adoption.waiting) == ["valve_3"]


async def test_a_discovered_name_never_joins_an_existing_devices_name(home, store, clock, adapter) -> None:
    mqtt = _mqtt(adapter)
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered([STRANGER, Device("lamp_2", "거실 스탠드", DeviceType.LIGHT, aliases=("새 등",))])
        assert hub.adoption.waiting["stranger_lock"].name == "현관문 (Acme)"
        assert hub.home.device("lamp_2").name == "거실 스탠드 (mqtt)"  # type: ignore[union-attr]
        assert hub.home.device("lamp_2").aliases == ("새 등",)  # type: ignore[union-attr]
        await hub.adopt("stranger_lock")
        outcome = Parser(hub.home).parse("현관문 잠가줘")
        assert [c.targets for c in outcome.commands] == [("door",)]  # the home's own door, only


async def test_a_discovered_name_in_another_unicode_form_is_still_renamed(home, store, clock, adapter) -> None:
    """Issue 20, item 8: "현관문" in NFD, or with a zero-width space, was not renamed; then "현관문 꺼줘"
    commanded the stranger too."""
    nfd = unicodedata.normalize("NFD", "현관문")
    mqtt = _mqtt(adapter)
    async with Hub(home, store, clock, {"sim": adapter, "mqtt": mqtt}) as hub:
        assert mqtt.sink is not None
        mqtt.sink.devices_discovered(
            [
                Device("plug_1", nfd, DeviceType.SWITCH, maker="Acme"),
                Device("plug_2", "현관\u200b문", DeviceType.SWITCH, maker="Acme"),
                Device("plug_3", "현관 문", DeviceType.SWITCH, maker="Acme"),
            ]
        )
        names = {hub.home.device(i).name for i in ("plug_1", "plug_2", "plug_3")}  # type: ignore[union-attr]
        assert names == {"현관문 (Acme)", "현관문 (plug_2)", "현관 문 (plug_3)"}
        outcome = Parser(hub.home).parse("현관문 잠가줘")
        assert [c.targets for c in outcome.commands] == [("door",)]
