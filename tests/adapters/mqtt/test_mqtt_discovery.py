"""Reading discovery messages: abbreviations, `~`, the device block, availability, every component."""

from __future__ import annotations

import json

import pytest

from jibsa.adapters.mqtt.discovery import DiscoveryError, parse_config
from jibsa.adapters.mqtt.drivers import device_from, driver_for
from jibsa.adapters.mqtt.templates import TemplateError, render
from jibsa.adapters.mqtt.url import parse_broker_url
from jibsa.domain import DeviceAction, DeviceType
from jibsa.home_file import load_home

HOME = load_home(None).home


def config(component: str, payload: dict, object_id: str = "thing"):  # type: ignore[no-untyped-def]
    cfg = parse_config(f"homeassistant/{component}/z2m/{object_id}/config", json.dumps(payload).encode())
    assert cfg is not None
    return cfg


def test_zigbee2mqtt_light_with_abbreviations_tilde_and_device_block() -> None:
    cfg = config("light", {
        "~": "zigbee2mqtt/거실 전구", "schema": "json", "cmd_t": "~/set", "stat_t": "~", "bri": True,
        "bri_scl": 254, "uniq_id": "0x0017_light", "avty": [{"t": "zigbee2mqtt/bridge/state",
                                                             "val_tpl": "{{ value_json.state }}"}],
        "dev": {"ids": ["zigbee2mqtt_0x0017"], "name": "거실 전구", "mf": "IKEA", "sa": "거실"},
    })  # fmt: skip
    assert cfg.config["command_topic"] == "zigbee2mqtt/거실 전구/set"
    assert cfg.config["state_topic"] == "zigbee2mqtt/거실 전구"
    assert cfg.availability[0].topic == "zigbee2mqtt/bridge/state"
    assert cfg.availability[0].value_template == "{{ value_json.state }}"
    driver = driver_for(cfg)
    device = device_from(HOME, "bulb", [driver])
    assert (device.type, device.room, device.maker) == (DeviceType.LIGHT, "living", "IKEA")
    assert driver.read("zigbee2mqtt/거실 전구", '{"state": "ON", "brightness": 127}') == {
        "power": True,
        "brightness": 50,
    }
    ((topic, payload),) = driver.write(DeviceAction("bulb", "set", "brightness", 100))
    assert topic.endswith("/set") and json.loads(payload) == {"state": "ON", "brightness": 254}


def test_default_schema_light_switch_button_lock() -> None:
    light = driver_for(
        config("light", {"cmd_t": "l/set", "stat_t": "l/state", "bri_cmd_t": "l/bri/set", "bri_stat_t": "l/bri"})
    )
    assert light.read("l/bri", "255") == {"brightness": 100}
    assert light.write(DeviceAction("l", "set", "brightness", 50)) == [("l/bri/set", "128")]
    switch = driver_for(config("switch", {"cmd_t": "s/set", "stat_t": "s", "pl_on": "1", "pl_off": "0"}))
    assert switch.read("s", "1") == {"power": True} and switch.write(DeviceAction("s", "turn_off")) == [("s/set", "0")]
    button = driver_for(config("button", {"cmd_t": "b/press"}))
    assert button.optimistic and button.write(DeviceAction("b", "turn_on")) == [("b/press", "PRESS")]
    lock = driver_for(config("lock", {"cmd_t": "d/set", "stat_t": "d", "val_tpl": "{{ value_json.lock }}"}))
    assert lock.kind is DeviceType.DOOR_LOCK and lock.read("d", '{"lock": "UNLOCKED"}') == {"lock": "unlocked"}


def test_climate_cover_valve_fan_humidifier_vacuum() -> None:
    ac = driver_for(
        config(
            "climate",
            {
                "modes": ["off", "cool", "heat"],
                "mode_cmd_t": "a/mode/set",
                "mode_stat_t": "a/mode",
                "temp_cmd_t": "a/t/set",
                "curr_temp_t": "a/cur",
            },
        )
    )
    assert ac.kind is DeviceType.AIR_CONDITIONER
    assert ac.read("a/mode", "off") == {"power": False} and ac.read("a/cur", "26.5") == {"current_temperature": 26.5}
    assert ac.write(DeviceAction("a", "set", "temperature", 23)) == [("a/t/set", "23")]
    boiler = driver_for(config("climate", {"modes": ["off", "heat"], "mode_cmd_t": "b/m"}))
    assert boiler.kind is DeviceType.BOILER
    blind = driver_for(
        config("cover", {"dev_cla": "blind", "cmd_t": "c/set", "pos_t": "c/pos", "set_pos_t": "c/pos/set"})
    )
    assert blind.kind is DeviceType.BLIND and blind.read("c/pos", "30") == {"position": 30}
    assert blind.write(DeviceAction("c", "close")) == [("c/set", "CLOSE")]
    gas = driver_for(config("valve", {"dev_cla": "gas", "cmd_t": "g/set", "stat_t": "g"}))
    assert gas.kind is DeviceType.GAS_VALVE and gas.read("g", "open") == {"valve": "open"}
    fan = driver_for(config("fan", {"cmd_t": "f/set", "stat_t": "f", "pct_cmd_t": "f/pct", "pct_stat_t": "f/pct/s"}))
    assert fan.read("f/pct/s", "100") == {"fan_speed": "high"}
    assert fan.write(DeviceAction("f", "set", "fan_speed", "low")) == [("f/pct", "33")]
    humid = driver_for(config("humidifier", {"dev_cla": "dehumidifier", "cmd_t": "h/set", "stat_t": "h"}))
    assert humid.kind is DeviceType.DEHUMIDIFIER
    vacuum = driver_for(config("vacuum", {"cmd_t": "v/set", "stat_t": "v"}))
    assert vacuum.read("v", '{"state": "cleaning", "battery_level": 61}') == {"run_state": "cleaning", "battery": 61}
    assert vacuum.write(DeviceAction("v", "dock")) == [("v/set", "return_to_base")]


def test_sensors_merge_into_one_device_and_refuse_out_of_range() -> None:
    device = {"ids": ["aqara_1"], "name": "욕실 센서"}
    temp = driver_for(
        config(
            "sensor",
            {"dev_cla": "temperature", "stat_t": "t", "dev": device, "val_tpl": "{{ value_json.temperature }}"},
            "t",
        )
    )
    motion = driver_for(
        config(
            "binary_sensor",
            {
                "dev_cla": "motion",
                "stat_t": "t",
                "val_tpl": "{{ value_json.occupancy }}",
                "pl_on": True,
                "pl_off": False,
                "dev": device,
            },
            "m",
        )
    )
    merged = device_from(HOME, "bath", [temp, motion])
    assert merged.type is DeviceType.SENSOR and merged.measures == ("temperature", "motion")
    assert merged.name == "욕실 센서"
    assert temp.read("t", '{"temperature": 22.46}') == {"temperature": 22.46}
    assert motion.read("t", '{"occupancy": true}') == {"motion": True}
    with pytest.raises(ValueError, match="out of range"):
        temp.read("t", '{"temperature": 500}')


@pytest.mark.parametrize(
    ("topic", "payload", "problem"),
    [
        ("homeassistant/light/x/config", b"{not json", "not JSON"),
        ("homeassistant/light/x/config", b"[1, 2]", "not a JSON object"),
        ("homeassistant/camera/x/config", b"{}", "camera"),
        ("homeassistant/config", b"{}", "not a discovery config topic"),
    ],
)
def test_malformed_discovery_is_refused_with_a_reason(topic: str, payload: bytes, problem: str) -> None:
    with pytest.raises(DiscoveryError, match=problem):
        parse_config(topic, payload)


def test_sensor_measuring_nothing_known_is_refused_and_empty_payload_removes() -> None:
    with pytest.raises(DiscoveryError, match="measures nothing"):
        driver_for(config("sensor", {"dev_cla": "frequency", "stat_t": "x"}))
    assert parse_config("homeassistant/light/x/config", b"") is None


def test_templates_in_their_simple_forms() -> None:
    assert render("{{ value_json.a.b }}", '{"a": {"b": 3}}') == 3
    assert render("{{ value_json['x y'] | float | round(1) }}", '{"x y": "2.345"}') == 2.3
    assert render("{{ value | int }}", "7.9") == 7
    assert render("{{ value_json.list[1] }}", '{"list": [4, 5]}') == 5
    assert render(None, "raw") == "raw"
    for bad, payload in [("{{ states('x') }}", "1"), ("{{ value_json.a }}", "nope"), ("{{ value | sin }}", "1")]:
        with pytest.raises(TemplateError):
            render(bad, payload)


def test_broker_urls() -> None:
    url = parse_broker_url("mqtts://me:p%40ss@broker.local")
    assert (url.host, url.port, url.username, url.password, url.tls) == ("broker.local", 8883, "me", "p@ss", True)
    assert str(url) == "mqtts://me@broker.local:8883"
    assert parse_broker_url("mqtt://127.0.0.1").port == 1883
    with pytest.raises(ValueError, match="mqtt://"):
        parse_broker_url("http://x")
