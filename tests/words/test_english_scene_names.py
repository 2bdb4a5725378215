"""English replies name a scene in English when the home file gives it `name_en` ("away mode"), else by its
name as it is ("외출 모드"): a scene's aliases are what people say to start it ("good night"), not names.
Korean replies say the name as ever. A bad `name_en` is refused naming the file, the field and the problem."""

from __future__ import annotations

import pytest

from jibsa.answers import describe_outcome
from jibsa.domain import Command, HomeFileError, TargetResult
from jibsa.home_file import load_home, parse_home_text
from jibsa.hub import Outcome
from jibsa.nlu import Parser, describe_results
from jibsa.words.home_file import describe_problem
from jibsa.words.replies import reply_text, understood_reply

SAMPLE = load_home(None).home
# The scene as a home file written before `name_en` has it: an alias in English letters, no English name.
OLD_HOME = parse_home_text(
    """
name: 옛 집
rooms: [{id: living, name: 거실}]
devices: [{id: lamp, name: 거실 스탠드, room: living, type: light}]
scenes:
  - {id: away, name: 외출 모드, aliases: [going out], actions: [{intent: turn_off, targets: [lamp]}]}
""",
    "old_home.yaml",
)


def _ran(home, scene: str, language: str) -> str:  # type: ignore[no-untyped-def]
    command = Command("run_scene", (), {"scene": scene})
    return reply_text(describe_results(home, [command], [TargetResult("living_stand", True)]), language)


@pytest.mark.parametrize("said", ["run away mode", "going out"])
def test_asking_in_english_to_run_a_scene_names_it_in_english(said: str) -> None:
    understood = Parser(SAMPLE).parse(said)
    assert [c.params.get("scene") for c in understood.commands] == ["away"]
    assert understood_reply(understood) == "I'll start away mode."


def test_korean_promises_and_reports_say_the_scenes_name_as_ever() -> None:
    assert understood_reply(Parser(SAMPLE).parse("외출 모드 실행해줘")) == "외출 모드를 실행할게요."
    assert _ran(SAMPLE, "sleep", "ko") == "취침 모드를 실행했어요."


def test_the_report_after_running_names_the_scene_in_english() -> None:
    assert _ran(SAMPLE, "sleep", "en") == "I started sleep mode."
    assert _ran(SAMPLE, "movie", "en") == "I started movie mode."


def test_the_scenes_answer_names_it_in_english() -> None:
    outcome = Outcome(Command("run_scene", (), {"scene": "home"}), answer={"scene": "home", "name": "귀가 모드"})
    assert describe_outcome(SAMPLE, outcome, "en") == "Home mode is on."
    assert describe_outcome(SAMPLE, outcome, "ko") == "귀가 모드를 실행했어요."


def test_without_an_english_name_the_scene_keeps_its_name_not_an_alias() -> None:
    """ "going out" is what people say to start it; "I'll start going out." would not be a name."""
    home = OLD_HOME.home
    assert OLD_HOME.warnings == ()
    assert home.scenes[0].name_en is None
    assert understood_reply(Parser(home).parse("going out")) == "I'll start 외출 모드."
    assert _ran(home, "away", "en") == "I started 외출 모드."
    assert _ran(home, "away", "ko") == "외출 모드를 실행했어요."


def test_the_english_name_is_a_name_people_may_say() -> None:
    home = parse_home_text(
        """
rooms: [{id: living, name: 거실}]
devices: [{id: lamp, name: 거실 스탠드, room: living, type: light}]
scenes: [{id: tv, name: 티비 모드, name_en: tv time, actions: [{intent: turn_off, targets: [lamp]}]}]
""",
        "home.yaml",
    ).home
    understood = Parser(home).parse("tv time")
    assert [c.params.get("scene") for c in understood.commands] == ["tv"]
    assert understood_reply(understood) == "I'll start tv time."


@pytest.mark.parametrize(
    ("value", "english", "korean"),
    [
        ("''", "home.yaml: scenes[0].name_en: must not be empty", "home.yaml: scenes[0].name_en: "),
        ("[away]", "home.yaml: scenes[0].name_en: expected text, got a list", "home.yaml: scenes[0].name_en: "),
        (
            "외출",
            "home.yaml: scenes[0].name_en: '외출' has Korean letters: this is the name English replies use",
            "home.yaml: scenes[0].name_en: '외출'에 한글이 있어요: 여기에는 영어로 답할 때 부를 이름을 적어 주세요",
        ),
    ],
)
def test_a_bad_english_name_is_refused_naming_file_field_and_problem(value: str, english: str, korean: str) -> None:
    text = f"""
rooms: [{{id: living, name: 거실}}]
devices: [{{id: lamp, name: 거실 스탠드, room: living, type: light}}]
scenes: [{{id: away, name: 외출 모드, name_en: {value}, actions: [{{intent: turn_off, targets: [lamp]}}]}}]
"""
    with pytest.raises(HomeFileError) as refused:
        parse_home_text(text, "home.yaml")
    assert refused.value.path == "scenes[0].name_en"
    assert describe_problem(refused.value, "en") == english
    assert describe_problem(refused.value, "ko").startswith(korean)
    assert describe_problem(refused.value, "ko") != describe_problem(refused.value, "en")
