"""ThinQ states and controls in jibsa's terms: the pure mapping, both ways."""

from __future__ import annotations

import pytest

from jibsa.adapters.cloud.mapping import UnsupportedAction
from jibsa.adapters.thinq.mapping import (
    control_for,
    device_id_for,
    jibsa_type,
    values_from_state,
)
from jibsa.domain import DeviceAction, DeviceType


def test_ids_are_short_lowercase_and_stable() -> None:
    assert device_id_for("ABCD-ef01-2345-6789-XYZ") == "thinq_abcdef012345"


@pytest.mark.parametrize(
    ("thinq_type", "kind"),
    [("DEVICE_WASHTOWER_WASHER", DeviceType.WASHER), ("DEVICE_WASHTOWER_DRYER", DeviceType.DRYER),
     ("DEVICE_HUMIDIFIER", DeviceType.HUMIDIFIER), ("DEVICE_CEILING_FAN", DeviceType.FAN),
     ("DEVICE_OVEN", None), ("DEVICE_STYLER", None)],
)  # fmt: skip
def test_types(thinq_type: str, kind: DeviceType | None) -> None:
    assert jibsa_type(thinq_type) is kind


def test_washer_state_per_location_reads_the_main_one() -> None:
    state = [
        {"location": {"locationName": "MINI"}, "runState": {"currentState": "RUNNING"}},
        {"location": {"locationName": "MAIN"}, "runState": {"currentState": "END"},
         "timer": {"remainHour": 0, "remainMinute": 0}},
    ]  # fmt: skip
    assert values_from_state(DeviceType.WASHER, "DEVICE_WASHER", state) == {
        "power": True, "run_state": "finished", "remaining_time": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("current", "run_state"), [("POWER_OFF", "idle"), ("INITIAL", "idle"), ("PAUSE", "paused"),
                               ("SPINNING", "running"), ("END", "finished")],
)  # fmt: skip
def test_run_states(current: str, run_state: str) -> None:
    values = values_from_state(DeviceType.DRYER, "DEVICE_DRYER", {"runState": {"currentState": current}})
    assert values["run_state"] == run_state


def test_newer_air_conditioners_give_temperatures_per_unit() -> None:
    state = {
        "temperatureInUnits": [
            {"unit": "F", "targetTemperature": 75},
            {"unit": "C", "targetTemperature": 23, "currentTemperature": 25},
        ]
    }
    assert values_from_state(DeviceType.AIR_CONDITIONER, "DEVICE_AIR_CONDITIONER", state) == {
        "temperature": 23, "current_temperature": 25,
    }  # fmt: skip


def test_humidifier_and_fan() -> None:
    state = {
        "operation": {"humidifierOperationMode": "POWER_ON"},
        "humidity": {"targetHumidity": 50, "currentHumidity": 38},
    }
    assert values_from_state(DeviceType.HUMIDIFIER, "DEVICE_HUMIDIFIER", state) == {
        "power": True, "humidity": 50, "current_humidity": 38,
    }  # fmt: skip
    fan = {"operation": {"ceilingfanOperationMode": "POWER_OFF"}, "airFlow": {"windStrength": "HIGH"}}
    assert values_from_state(DeviceType.FAN, "DEVICE_CEILING_FAN", fan) == {"power": False, "fan_speed": "high"}


@pytest.mark.parametrize(
    ("kind", "thinq_type", "action", "payload"),
    [
        (DeviceType.AIR_CONDITIONER, "DEVICE_AIR_CONDITIONER", DeviceAction("x", "set", "power", False),
         {"operation": {"airConOperationMode": "POWER_OFF"}}),
        (DeviceType.AIR_CONDITIONER, "DEVICE_AIR_CONDITIONER", DeviceAction("x", "set", "mode", "fan"),
         {"airConJobMode": {"currentJobMode": "FAN"}}),
        (DeviceType.AIR_PURIFIER, "DEVICE_AIR_PURIFIER", DeviceAction("x", "set", "mode", "turbo"),
         {"airPurifierJobMode": {"currentJobMode": "CLEAN"}}),
        (DeviceType.WASHER, "DEVICE_WASHTOWER_WASHER", DeviceAction("x", "stop"),
         {"operation": {"washerOperationMode": "POWER_OFF"}}),
        (DeviceType.DISHWASHER, "DEVICE_DISH_WASHER", DeviceAction("x", "pause"),
         {"operation": {"dishWasherOperationMode": "STOP"}}),
        (DeviceType.HUMIDIFIER, "DEVICE_HUMIDIFIER", DeviceAction("x", "set", "humidity", 55),
         {"humidity": {"targetHumidity": 55}}),
        (DeviceType.ROBOT_VACUUM, "DEVICE_ROBOT_CLEANER", DeviceAction("x", "pause"),
         {"operation": {"cleanOperationMode": "PAUSE"}}),
    ],
)  # fmt: skip
def test_controls(kind: DeviceType, thinq_type: str, action: DeviceAction, payload: dict[str, object]) -> None:
    assert control_for(kind, thinq_type, action) == payload


def test_actions_without_a_control_are_refused() -> None:
    with pytest.raises(UnsupportedAction):
        control_for(DeviceType.REFRIGERATOR, "DEVICE_REFRIGERATOR", DeviceAction("x", "turn_on"))
    with pytest.raises(UnsupportedAction):
        control_for(DeviceType.AIR_CONDITIONER, "DEVICE_AIR_CONDITIONER", DeviceAction("x", "set", "mode", "warp"))
