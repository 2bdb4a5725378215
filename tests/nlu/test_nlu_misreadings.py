"""Misreadings found by the understanding corpus (issue 18 §5) on the sample home: what each sentence must give,
and the nonsense that must never act."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_scoring import REPO

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.words.replies import understood_reply

SAMPLE = load_home(REPO / "src" / "jibsa" / "data" / "sample_home.yaml").home
OFFICETEL = load_home(REPO / "tests" / "nlu" / "corpus" / "homes" / "officetel.yaml").home


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(SAMPLE)


def _commands(parser: Parser, text: str, room: str | None = None) -> list[tuple[str, list[str], dict[str, Any]]]:
    return [
        (c["intent"], sorted(c["targets"]), c["params"]) for c in parser.parse(text, room=room).to_json()["commands"]
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # 켜 놨어? / 꺼 뒀어?: the past of 놓다/두다 after a verb asks about a state that still holds.
        ("거실 불 켜 놨어?", [("query_state", ["living_ceiling", "living_stand"], {})]),
        ("안방 에어컨 꺼 뒀어?", [("query_state", ["master_ac"], {})]),
        ("현관문 잠가 놨어?", [("query_state", ["front_door"], {})]),
        ("세탁기 돌려 놨어?", [("query_state", ["washer"], {})]),
    ],
)
def test_a_state_left_as_it_is_is_asked_about(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "고양이 밝기 50으로",  # 고양 is a city, but nobody asked about the weather
        "펜트하우스 티비 꺼 주면 좋겠어",  # the home has no penthouse: never its only TV
        "펜트하우스 에어컨 켜 줄래?",
        "open the pod bay doors",  # never the front door
        "세탁기 돌려 놓았어?",
    ],
)
def test_nonsense_never_acts(parser: Parser, text: str) -> None:
    assert _commands(parser, text) == []


def test_an_unknown_word_before_a_kind_is_reported_not_dropped() -> None:
    understood = Parser(OFFICETEL).parse("펜트하우스 에어컨 켜 줄래?")
    assert understood.to_json()["commands"] == []
    assert "펜트하우스" in understood_reply(understood)


def test_a_favour_asked_for_is_not_a_feeling(parser: Parser) -> None:
    assert _commands(parser, "부탁해") == []  # 탁해 ("stuffy") inside 부탁해 never starts the purifier
    assert _commands(parser, "공기가 탁해") == [("turn_on", ["living_purifier"], {})]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "거실 조명 환하게 해 줘",
            [("adjust", ["living_ceiling", "living_stand"], {"property": "brightness", "direction": "up"})],
        ),
        ("시간 좀 알려 줘", [("get_time", [], {})]),
    ],
)
def test_words_read_now(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("부산 어때?", [("get_weather", [], {"city": "부산"})]),
        ("이 방 불 켜 줘", [("turn_on", ["study_light"], {})]),
    ],
)
def test_what_still_reads_as_before(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text, room="study") == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("큰방 전등이랑 에어컨 꺼", [("turn_off", ["master_ac", "master_light"], {})]),
        ("거실 티비하고 조명 꺼 봐", [("turn_off", ["living_ceiling", "living_stand", "living_tv"], {})]),
        ("안방 가습기와 에어컨 다 좀 켜", [("turn_on", ["master_ac", "master_humidifier"], {})]),
        ("거실 불이랑 안방 에어컨 꺼", [("turn_off", ["living_ceiling", "living_stand", "master_ac"], {})]),
    ],
)
def test_a_room_said_before_a_list_is_the_room_of_each(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("switch the light in the living room off", [("turn_off", ["living_ceiling", "living_stand"], {})]),
        ("brighten the kitchen lights", [("adjust", ["kitchen_light"], {"property": "brightness", "direction": "up"})]),
        ("how warm is it in the kids room", [("query_state", ["kids_sensor"], {"property": "temperature"})]),
        ("how humid is it in the living room", [("query_state", ["living_sensor"], {"property": "humidity"})]),
        (
            "turn off the living room lights in an hour",
            [("turn_off", ["living_ceiling", "living_stand"], {"delay_s": 3600})],
        ),
        ("in half an hour switch off the living room television", [("turn_off", ["living_tv"], {"delay_s": 1800})]),
        ("turn on the switch", [("turn_on", ["study_plug"], {})]),
        # a recogniser writes a room name ending in s as a possessive
        ("Turn off the kid's room light.", [("turn_off", ["kids_light"], {})]),
        ("turn on the kids' room light", [("turn_on", ["kids_light"], {})]),
    ],
)
def test_english_read_now(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("큰방 불 켜 줘 작은방 불 꺼 줘", [("turn_on", ["master_light"], {}), ("turn_off", ["kids_light"], {})]),
        ("거실 TV 꺼 봐, 공부방 조명 켜줭", [("turn_off", ["living_tv"], {}), ("turn_on", ["study_light"], {})]),
        (
            "turn off the living room light and switch on the aircon",
            [("turn_off", ["living_ceiling", "living_stand"], {}), ("turn_on", ["living_ac"], {})],
        ),
        ("불 꺼 거실 거", [("turn_off", ["living_ceiling", "living_stand"], {})]),
    ],
)
def test_each_request_keeps_its_own_verb(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


SAMDAE = load_home(REPO / "tests" / "nlu" / "corpus" / "homes" / "three_generation.yaml").home


@pytest.mark.parametrize(("room", "tv"), [("family", "fm_tv"), ("living", "lv_tv"), ("grandma", "gm_tv")])
def test_this_rooms_tv_is_the_tv_of_the_room_the_request_comes_from(room: str, tv: str) -> None:
    """ "할머니 방 티비" is not to be found by "방 티비": half a room's name and a kind are no device's name."""
    parser = Parser(SAMDAE)
    assert _commands(parser, "이 방 티비 꺼 줘", room) == [("turn_off", [tv], {})]
    assert _commands(parser, "할머니 방 티비 꺼 줘", room) == [("turn_off", ["gm_tv"], {})]


@pytest.mark.parametrize("text", ["건조기 작동시켜 줘", "건조기 작동해 줘", "건조기 가동시켜"])
def test_operating_an_appliance_starts_it(parser: Parser, text: str) -> None:
    assert _commands(parser, text) == [("start", ["dryer"], {})]


def test_operating_a_device_without_a_cycle_turns_it_on(parser: Parser) -> None:
    assert _commands(parser, "거실 에어컨 작동시켜 줘") == [("turn_on", ["living_ac"], {})]


SCENE_AND_MODE = """
id: modes
name: 모드가 겹치는 집
rooms: [{id: room, name: 원룸}]
devices:
  - {id: boiler, name: 보일러, type: boiler}
  - {id: purifier, name: 공기청정기, room: room, type: air_purifier}
  - {id: light, name: 조명, room: room, type: light}
scenes:
  - {id: out, name: 외출, actions: [{intent: turn_off, targets: [light]}]}
  - {id: night, name: 취침, actions: [{intent: turn_off, targets: [light]}]}
"""


@pytest.mark.parametrize(
    ("text", "scene"), [("외출 모드", "out"), ("외출 모드로 해 줘", "out"), ("취침 모드 해 줘", "night")]
)
def test_a_scene_said_with_mode_runs_the_scene_not_a_device_mode(tmp_path: Any, text: str, scene: str) -> None:
    (tmp_path / "home.yaml").write_text(SCENE_AND_MODE, encoding="utf-8")
    parser = Parser(load_home(tmp_path / "home.yaml").home)
    assert _commands(parser, text) == [("run_scene", [], {"scene": scene})]
    assert _commands(parser, "보일러 외출 모드로 해 줘") == [("set", ["boiler"], {"property": "mode", "value": "away"})]
    assert _commands(parser, "공기청정기 취침 모드로") == [
        ("set", ["purifier"], {"property": "mode", "value": "sleep"})
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("선풍기 더 약하게", [("adjust", ["study_fan"], {"property": "fan_speed", "direction": "down"})]),
        ("선풍기 좀 더 약하게 해 줘", [("adjust", ["study_fan"], {"property": "fan_speed", "direction": "down"})]),
        ("선풍기 약하게 해 줘", [("set", ["study_fan"], {"property": "fan_speed", "value": "low"})]),
    ],
)
def test_more_before_a_named_setting_is_a_change_from_now(parser: Parser, text: str, want: list[Any]) -> None:
    """ "더 약하게": weaker than now; "약하게" alone: the setting named 약."""
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("한 번 더", []),  # once more: never "TV channel 1"
        ("한 번 켜 봐", []),  # try turning it on: which device is not said
        ("한 번 틀어줘", []),
        ("두 번 눌러", []),
        ("TV 한 번 틀어줘", [("turn_on", ["living_tv"], {})]),  # "한 번": once, with the TV named
        ("거실 불 한 번 꺼 줘", [("turn_off", ["living_ceiling", "living_stand"], {})]),
        # A channel is said as a number ("1번", "칠번"), as the third, or with the word 채널.
        ("1번 틀어줘", [("set", ["living_tv"], {"property": "channel", "value": 1})]),
        ("티비 칠번 틀어줘", [("set", ["living_tv"], {"property": "channel", "value": 7})]),
        ("세 번째 채널 틀어줘", [("set", ["living_tv"], {"property": "channel", "value": 3})]),
        ("채널 두 번으로", [("set", ["living_tv"], {"property": "channel", "value": 2})]),
    ],
)
def test_once_is_not_channel_one(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "좀 약하게": a step weaker than now, as "더 약하게"; "약하게" alone names the setting 약.
        ("선풍기 좀 약하게 해 줘", [("adjust", ["study_fan"], {"property": "fan_speed", "direction": "down"})]),
        ("선풍기 살짝 세게", [("adjust", ["study_fan"], {"property": "fan_speed", "direction": "up"})]),
        # "더 세게" is looked up without its space, as every direction word is: the fan's speed, a step up.
        ("선풍기 더 세게", [("adjust", ["study_fan"], {"property": "fan_speed", "direction": "up"})]),
        ("거실 에어컨 더 세게 해 줘", [("adjust", ["living_ac"], {"property": "fan_speed", "direction": "up"})]),
        ("선풍기 약하게 해 줘", [("set", ["study_fan"], {"property": "fan_speed", "value": "low"})]),
        # "덜 춥게": less cold, a warmer target; "덜 덥게": a cooler one.
        ("거실 에어컨 덜 춥게 해 줘", [("adjust", ["living_ac"], {"property": "temperature", "direction": "up"})]),
        ("안방 에어컨 좀 덜 덥게", [("adjust", ["master_ac"], {"property": "temperature", "direction": "down"})]),
    ],
)
def test_a_little_weaker_is_a_step(parser: Parser, text: str, want: list[Any]) -> None:
    assert _commands(parser, text) == want


def test_less_cold_moves_the_air_conditioner_that_cools(parser: Parser) -> None:
    """Two air conditioners, one cooling: "에어컨 좀 덜 춥게" raises that one's target, as "너무 추워" eases the
    one that cools; with both off (or both on) it asks which."""

    def cooling(on: set[str]) -> Any:
        return lambda device: {"power": device in on, "mode": "cool", "temperature": 24}

    said = "에어컨 좀 덜 춥게 해 줘"
    one = parser.parse(said, state=cooling({"master_ac"})).to_json()
    assert one["commands"] == [
        {"intent": "adjust", "targets": ["master_ac"], "params": {"property": "temperature", "direction": "up"}}
    ]
    for on in (set(), {"living_ac", "master_ac"}):
        asked = parser.parse(said, state=cooling(on)).to_json()
        assert asked["commands"] == [] and sorted(asked["needs_choice"]) == ["living_ac", "master_ac"]
