"""Light colours over MQTT: jibsa's named colours go out in each light's own colour form and come back
as the nearest name."""

from __future__ import annotations

import json

import pytest

from jibsa.adapters.mqtt import colors
from jibsa.adapters.mqtt.announce import AnnouncedDevice
from jibsa.adapters.mqtt.discovery import parse_config
from jibsa.adapters.mqtt.drivers import driver_for
from jibsa.domain import Device, DeviceAction, DeviceType
from jibsa.domain.device_types import COLORS
from jibsa.hub import DeviceError


def light(payload: dict):  # type: ignore[no-untyped-def,type-arg]
    cfg = parse_config("homeassistant/light/z2m/bulb/config", json.dumps({"uniq_id": "bulb", **payload}).encode())
    assert cfg is not None
    return driver_for(cfg)


def paint(name: str) -> DeviceAction:
    return DeviceAction("bulb", "set", "color", name)


@pytest.mark.parametrize("name", COLORS)
def test_every_named_colour_survives_each_colour_form(name: str) -> None:
    hue, sat = colors.hs_of(name)
    assert colors.nearest_name(hue, sat) == name
    assert colors.name_from_rgb(*colors.rgb_of(name)) == name
    assert colors.name_from_xy(*colors.xy_of(name)) == name


def test_colours_people_see_are_read_as_the_nearest_name() -> None:
    assert colors.nearest_name(350, 90) == "red"  # hue wraps round
    assert colors.name_from_rgb(20, 40, 230) == "blue"
    assert colors.name_from_rgb(250, 250, 245) == "white"
    assert colors.name_from_xy(0.701, 0.299) == "red"  # a Hue bulb's red corner
    assert colors.name_from_mireds(454) == "warm_white" and colors.name_from_mireds(153) == "white"
    with pytest.raises(ValueError):
        colors.name_from_xy(0.3, 0)


def test_zigbee2mqtt_xy_light_is_sent_xy_and_its_state_read_back() -> None:
    driver = light(
        {
            "~": "zigbee2mqtt/bulb",
            "schema": "json",
            "cmd_t": "~/set",
            "stat_t": "~",
            "sup_clrm": ["xy", "color_temp"],
            "bri": True,
        }
    )
    ((topic, payload),) = driver.write(paint("blue"))
    body = json.loads(payload)
    assert topic == "zigbee2mqtt/bulb/set" and body["state"] == "ON" and set(body["color"]) == {"x", "y"}
    state = driver.read("zigbee2mqtt/bulb", '{"state": "ON", "color_mode": "xy", "color": {"x": 0.1355, "y": 0.0399}}')
    assert state == {"power": True, "color": "blue"}
    ((_, payload),) = driver.write(paint("warm_white"))
    assert json.loads(payload)["color"] == dict(zip("xy", colors.xy_of("warm_white"), strict=True))  # xy first
    warm = driver.read(
        "zigbee2mqtt/bulb",
        '{"state": "ON", "color_mode": "color_temp", "color_temp": 400, "color": {"x": 0.5, "y": 0.4}}',
    )
    assert warm["color"] == "warm_white"


def test_a_white_only_light_takes_the_whites_and_refuses_colours() -> None:
    driver = light(
        {"schema": "json", "command_topic": "b/set", "state_topic": "b", "supported_color_modes": ["color_temp"]}
    )
    ((_, payload),) = driver.write(paint("warm_white"))
    assert json.loads(payload) == {"state": "ON", "color_temp": 370}
    with pytest.raises(DeviceError) as refused:
        driver.write(paint("red"))
    assert refused.value.code == "unsupported_intent" and "red" in str(refused.value)


def test_a_light_without_colour_refuses_and_an_unknown_name_is_invalid() -> None:
    plain = light({"schema": "json", "command_topic": "b/set", "state_topic": "b", "brightness": True})
    with pytest.raises(DeviceError, match="cannot show blue"):
        plain.write(paint("blue"))
    rgb = light({"command_topic": "b/set", "rgb_command_topic": "b/rgb/set", "rgb_state_topic": "b/rgb"})
    with pytest.raises(DeviceError) as refused:
        rgb.write(paint("chartreuse"))
    assert refused.value.code == "invalid_value"


def test_default_schema_colour_topics() -> None:
    driver = light(
        {
            "command_topic": "b/set",
            "state_topic": "b/state",
            "rgb_command_topic": "b/rgb/set",
            "rgb_state_topic": "b/rgb",
            "hs_command_topic": "b/hs/set",
        }
    )
    assert driver.color_modes() == ("hs", "rgb")
    assert driver.write(paint("green")) == [("b/hs/set", "120,100")]
    assert "b/rgb" in driver.state_topics()
    assert driver.read("b/rgb", "255,0,0") == {"color": "red"}
    with pytest.raises(ValueError):
        driver.read("b/rgb", "255,0")


def test_jibsa_announced_lights_carry_colour_both_ways() -> None:
    device = Device("bulb", "전구", DeviceType.LIGHT)
    announced = AnnouncedDevice(device, "jibsa/node", "node", "jibsa/node/status")
    (item,) = announced.announcements()
    cfg = parse_config(f"homeassistant/light/node/{item.object_id}/config", json.dumps(item.config).encode())
    assert cfg is not None
    driver = driver_for(cfg)
    sent = [a for topic, payload in driver.write(paint("purple")) for a in announced.actions(topic, payload)]
    assert sent == [DeviceAction("bulb", "set", "color", "purple")]
    ((topic, payload),) = announced.state_messages({"power": True, "brightness": 80, "color": "purple"})
    assert driver.read(topic, payload) == {"power": True, "brightness": 80, "color": "purple"}
    both = announced.actions("jibsa/node/bulb/set", '{"state": "ON", "brightness": 127, "color": {"h": 240, "s": 100}}')
    assert [(a.property, a.value) for a in both] == [("color", "blue"), ("brightness", 50)]
    assert announced.actions("jibsa/node/bulb/set", '{"state": "OFF", "brightness": 10}')[0].intent == "turn_off"
