"""Power and energy from Home Assistant discovery sensors on a real broker: units turned into W and kWh,
a total_increasing meter that resets counted as energy (never negative), a plug measuring an appliance
and a whole-home meter named in the home file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiomqtt
import pytest
from mqtt_support import until

from jibsa.adapters.mqtt.discovery import parse_config
from jibsa.adapters.mqtt.drivers import driver_for
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import home_from_mapping
from jibsa.energy.store import HOME
from jibsa.hub import Hub, ManualClock


def sensor(object_id: str, device_class: str, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": object_id,
        "uniq_id": object_id,
        "obj_id": object_id,
        "stat_t": f"meters/{object_id}",
        "dev_cla": device_class,
        "unit_of_meas": unit,
        "dev": {"ids": [object_id], "name": object_id},
        **extra,
    }


@pytest.mark.parametrize(
    ("device_class", "unit", "payload", "reading"),
    [
        ("power", "W", "850", {"power": 850.0}),
        ("power", "kW", "1.25", {"power": 1250.0}),
        ("energy", "kWh", "1234.5", {"energy": 1234.5}),
        ("energy", "Wh", "12345", {"energy": 12.345}),
        ("energy", "MWh", "0.5", {"energy": 500.0}),
    ],
)
def test_units_become_watts_and_kilowatt_hours(
    device_class: str, unit: str, payload: str, reading: dict[str, float]
) -> None:
    config = sensor("m", device_class, unit, stat_cla="total_increasing" if device_class == "energy" else "measurement")
    driver = driver_for(parse_config("homeassistant/sensor/m/config", json.dumps(config).encode()))
    assert driver.read("meters/m", payload) == pytest.approx(reading)


def test_a_unit_that_is_not_power_is_refused() -> None:
    config = json.dumps(sensor("m", "power", "BTU/h")).encode()
    driver = driver_for(parse_config("homeassistant/sensor/m/config", config))
    with pytest.raises(ValueError, match="BTU/h"):
        driver.read("meters/m", "100")


HOME_FILE = {
    "id": "flat", "name": "집", "rooms": [{"id": "utility", "name": "다용도실"}],
    "devices": [
        {"id": "washer", "name": "세탁기", "room": "utility", "type": "washer"},
        {"id": "washer_plug", "name": "세탁기 플러그", "room": "utility", "type": "sensor", "vendor": "mqtt",
         "measures": ["power", "energy"], "options": {"mqtt_unique_id": "plug_energy"}},
        {"id": "main_meter", "name": "계량기", "type": "sensor", "vendor": "mqtt", "measures": ["energy"],
         "options": {"mqtt_unique_id": "main_energy"}},
    ],
    "energy": {"meter": "main_meter", "measured_by": {"washer": "washer_plug"}},
}  # fmt: skip


@pytest.fixture
async def running(broker, tmp_path: Path) -> AsyncIterator[RunningHome]:  # type: ignore[no-untyped-def]
    home = home_from_mapping(HOME_FILE).home
    async with aiomqtt.Client("127.0.0.1", broker.port) as client:
        for config in (
            sensor("plug_energy", "energy", "Wh", stat_cla="total_increasing"),
            sensor("main_energy", "energy", "kWh", stat_cla="total_increasing"),
        ):
            topic = f"homeassistant/sensor/{config['obj_id']}/config"
            await client.publish(topic, json.dumps(config), qos=1, retain=True)
    settings = Settings(data_dir=tmp_path, adapter_settings={"mqtt": {"url": broker.url, "announce": "false"}})
    opened = await open_home(settings, home=home, clock=ManualClock())  # readings 20 minutes apart, not 20 ms
    yield opened
    await opened.close()


async def publish(port: int, readings: list[tuple[str, str]]) -> None:
    async with aiomqtt.Client("127.0.0.1", port) as client:
        for topic, payload in readings:
            await client.publish(topic, payload, qos=1)


async def reading_is(hub: Hub, device_id: str, key: str, value: float) -> None:
    await until(hub, lambda: hub.state(device_id).get(key) == value, f"{device_id} {key} = {value}")


async def test_a_meter_that_resets_and_a_plug_measuring_its_washer(broker, running: RunningHome) -> None:  # type: ignore[no-untyped-def]
    hub, energy = running.hub, running.energy
    assert energy is not None
    steps = [("meters/main_energy", "5000.0", "main_meter", 5000.0), ("meters/plug_energy", "1000", "washer_plug", 1.0),
             ("meters/main_energy", "5001.5", "main_meter", 5001.5), ("meters/plug_energy", "1600", "washer_plug", 1.6),
             ("meters/main_energy", "0.4", "main_meter", 0.4),  # the meter started again from zero
             ("meters/main_energy", "0.9", "main_meter", 0.9)]  # fmt: skip
    clock = hub.clock
    assert isinstance(clock, ManualClock)
    for topic, payload, device_id, value in steps:
        await publish(broker.port, [(topic, payload)])
        await reading_is(hub, device_id, "energy", value)
        await clock.advance(1200)
    await energy.flush()
    since = hub.clock.now() - 7200
    totals = await running.store.energy_totals(hub.home.id, since, hub.clock.now() + 3600)  # type: ignore[attr-defined]
    # main: 5000 -> 5001.5 (1.5), reset to 0.4 (0.4), -> 0.9 (0.5): 2.4 kWh; the plug: 1.0 -> 1.6 kWh (0.6)
    assert totals[HOME][0] == pytest.approx(2.4)
    assert totals["main_meter"][0] == pytest.approx(2.4)
    assert totals["washer"][0] == pytest.approx(0.6) and "washer_plug" not in totals
