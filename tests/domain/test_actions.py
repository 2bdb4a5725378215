"""plan_action: the one check every command passes before it reaches a device."""

from __future__ import annotations

import math

import pytest

from jibsa.domain import Command, Device, DeviceType, ErrorCode, Plan, plan_action
from jibsa.domain.actions import DEFAULT_STEPS

FAN = Device("fan", "선풍기", DeviceType.FAN)
LIGHT = Device("lamp", "스탠드", DeviceType.LIGHT)
DOOR = Device("door", "현관문", DeviceType.DOOR_LOCK)
CURTAIN = Device("curtain", "커튼", DeviceType.CURTAIN)
FRIDGE = Device("fridge", "냉장고", DeviceType.REFRIGERATOR)


def test_adjust_steps_through_choices_and_stops_at_the_end() -> None:
    command = Command("adjust", ("fan",), {"property": "fan_speed", "direction": "up"})
    up = plan_action(FAN, command, {"fan_speed": "low"})
    top = plan_action(FAN, Command("adjust", ("fan",), {"direction": "up"}), {"fan_speed": "high"})
    assert up.action is not None and up.action.value == "mid"
    assert top.action is not None and top.action.value == "high"


def test_adjust_without_amount_uses_the_default_step_and_clamps() -> None:
    plan = plan_action(LIGHT, Command("adjust", ("lamp",), {"direction": "up"}), {"brightness": 90})
    assert plan.action is not None and plan.action.value == 100
    assert [(c.asked, c.applied) for c in plan.clamps] == [(110, 100)]


def test_lowering_a_device_that_is_off_leaves_it_off() -> None:
    """ "거실 불 어둡게" turned the lights that were off on at 80%: the opposite of darker."""
    down = Command("adjust", ("lamp",), {"property": "brightness", "direction": "down"})
    assert plan_action(LIGHT, down, {"power": False, "brightness": 90}) == Plan(query="")
    lit = plan_action(LIGHT, down, {"power": True, "brightness": 90})
    assert lit.action is not None and lit.action.value == 90 - DEFAULT_STEPS["brightness"]
    up = plan_action(LIGHT, Command("adjust", ("lamp",), {"direction": "up"}), {"power": False, "brightness": 50})
    assert up.action is not None and up.action.value == 50 + DEFAULT_STEPS["brightness"]  # brighter from off: on
    ac = Device("ac", "에어컨", DeviceType.AIR_CONDITIONER)
    cooler = Command("adjust", ("ac",), {"property": "temperature", "direction": "down"})
    colder = plan_action(ac, cooler, {"power": False, "temperature": 26})
    assert colder.action is not None and colder.action.value == 25  # cooler asks for more of what it does


def test_words_for_doors_and_curtains_mean_what_people_mean() -> None:
    assert plan_action(DOOR, Command("open", ("door",)), {}).action.intent == "unlock"  # type: ignore[union-attr]
    assert plan_action(CURTAIN, Command("turn_on", ("curtain",)), {}).action.intent == "open"  # type: ignore[union-attr]


@pytest.mark.parametrize("value", ["뜨겁게", None, math.nan, math.inf, True, [1]])
def test_values_that_are_not_numbers_are_refused(value: object) -> None:
    plan = plan_action(FRIDGE, Command("set", ("fridge",), {"property": "temperature", "value": value}), {})
    assert plan.refusal is not None and plan.refusal.code is ErrorCode.BAD_VALUE


def test_choice_values_are_checked_and_canonicalised() -> None:
    ok = plan_action(LIGHT, Command("set", ("lamp",), {"property": "color", "value": " RED "}), {})
    bad = plan_action(LIGHT, Command("set", ("lamp",), {"property": "color", "value": "plaid"}), {})
    assert ok.action is not None and ok.action.value == "red"
    assert bad.refusal is not None and "white" in bad.refusal.message


def test_set_without_property_uses_the_types_main_one() -> None:
    plan = plan_action(FRIDGE, Command("set", ("fridge",), {"value": "2"}), {})
    assert plan.action is not None and (plan.action.property, plan.action.value) == ("temperature", 2)


def test_query_of_a_property_the_type_lacks_is_refused() -> None:
    plan = plan_action(DOOR, Command("query_state", ("door",), {"property": "battery"}), {})
    assert plan.refusal is not None and plan.refusal.code is ErrorCode.UNSUPPORTED_PROPERTY
