"""SmartThings devices, statuses and commands in jibsa's terms (pure), and the stand-in's JSON
checked against `pysmartthings`' models of the real API."""

from __future__ import annotations

import aiohttp
import pytest
from pysmartthings.models import DeviceResponse, DeviceStatus, LocationResponse, RoomResponse

from jibsa.adapters.cloud.mapping import UnsupportedAction
from jibsa.adapters.smartthings.mapping import (
    Command,
    commands_for,
    describe,
    device_id_for,
    jibsa_type,
    values_from_status,
)
from jibsa.domain import DeviceAction, DeviceType
from jibsa.testing import smartthings_server as st


def _status(**capabilities: dict[str, object]) -> dict[str, object]:
    return {cap: {attr: {"value": value} for attr, value in attrs.items()} for cap, attrs in capabilities.items()}


def test_ids_are_short_and_lowercase() -> None:
    assert device_id_for("0D94E5DB-8501-2355") == "st_0d94e5db"


@pytest.mark.parametrize(
    ("categories", "capabilities", "kind"),
    [(["Blind"], {"windowShade"}, DeviceType.BLIND), (["Other"], {"switch", "switchLevel"}, DeviceType.LIGHT),
     (["Other"], {"switch"}, DeviceType.SWITCH), (["SmartPlug"], {"switch"}, DeviceType.SWITCH),
     (["Hub"], {"bridge"}, None)],
)  # fmt: skip
def test_types_by_category_then_capability(
    categories: list[str], capabilities: set[str], kind: DeviceType | None
) -> None:
    assert jibsa_type(categories, frozenset(capabilities)) is kind


def test_a_blind_and_a_fridge() -> None:
    blind = {"main": _status(windowShade={"windowShade": "open"}, windowShadeLevel={"shadeLevel": 40})}
    assert values_from_status(DeviceType.BLIND, blind, 0) == {"position": 40}
    closed = {"main": _status(windowShade={"windowShade": "closed"})}
    assert values_from_status(DeviceType.BLIND, closed, 0) == {"position": 0}
    fridge = {
        "main": _status(contactSensor={"contact": "open"}),
        "cooler": _status(thermostatCoolingSetpoint={"coolingSetpoint": 3}),
        "freezer": _status(thermostatCoolingSetpoint={"coolingSetpoint": -19}),
    }
    assert values_from_status(DeviceType.REFRIGERATOR, fridge, 0) == {
        "temperature": 3, "freezer_temperature": -19, "door": True,
    }  # fmt: skip


def test_a_finished_washer() -> None:
    main = _status(washerOperatingState={"machineState": "stop", "washerJobState": "finish"})
    assert values_from_status(DeviceType.WASHER, {"main": main}, 0) == {"run_state": "finished", "remaining_time": 0}


@pytest.mark.parametrize(
    ("kind", "capabilities", "action", "command"),
    [
        (DeviceType.BLIND, {"main": {"windowShade", "windowShadeLevel"}}, DeviceAction("x", "set", "position", 30),
         Command("windowShadeLevel", "setShadeLevel", (30,))),
        (DeviceType.BLIND, {"main": {"windowShade"}}, DeviceAction("x", "stop"), Command("windowShade", "pause")),
        (DeviceType.REFRIGERATOR, {"main": set(), "freezer": {"thermostatCoolingSetpoint"}},
         DeviceAction("x", "set", "freezer_temperature", -20),
         Command("thermostatCoolingSetpoint", "setCoolingSetpoint", (-20,), "freezer")),
        (DeviceType.DRYER, {"main": {"dryerOperatingState"}}, DeviceAction("x", "pause"),
         Command("dryerOperatingState", "setMachineState", ("pause",))),
    ],
)  # fmt: skip
def test_commands(kind: DeviceType, capabilities: dict[str, set[str]], action: DeviceAction, command: Command) -> None:
    caps = {component: frozenset(names) for component, names in capabilities.items()}
    assert commands_for(kind, caps, action) == [command]


def test_a_command_the_device_has_no_capability_for_is_refused() -> None:
    with pytest.raises(UnsupportedAction):
        commands_for(DeviceType.LIGHT, {"main": frozenset({"switch"})}, DeviceAction("x", "set", "brightness", 50))


async def test_the_stand_in_answers_in_the_shapes_pysmartthings_reads() -> None:
    headers = {"Authorization": f"Bearer {st.TOKEN}"}
    async with st.SmartThingsServer() as server, aiohttp.ClientSession(headers=headers) as http:

        async def text(path: str) -> str:
            async with http.get(server.base_url + path) as response:
                assert response.status == 200
                return await response.text()

        devices = DeviceResponse.from_json(await text("/v1/devices")).items
        assert {d.device_id for d in devices} == set(server.devices)
        for raw in server.devices:
            status = DeviceStatus.from_json(await text(f"/v1/devices/{raw}/status"))
            assert set(status.components) == {"main"}
        assert LocationResponse.from_json(await text("/v1/locations")).items[0].location_id == st.LOCATION
        rooms = RoomResponse.from_json(await text(f"/v1/locations/{st.LOCATION}/rooms")).items
        assert {r.name for r in rooms} == set(st.ROOMS.values())


def test_describe_reads_label_room_and_capabilities() -> None:
    raw = {"deviceId": "abc", "label": "거실 조명", "roomId": "r1", "components": [
        {"id": "main", "capabilities": [{"id": "switch"}, {"id": "switchLevel"}], "categories": [{"name": "Light"}]},
    ]}  # fmt: skip
    described = describe(raw)
    assert (described.label, described.kind, described.room_id) == ("거실 조명", DeviceType.LIGHT, "r1")
    assert described.capabilities == {"main": frozenset({"switch", "switchLevel"})}
