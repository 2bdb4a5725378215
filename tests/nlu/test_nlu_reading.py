"""Issue 18 §2–§4b on the sample home: each sentence of the issue, what it must give (and what it must not)."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_scoring import REPO

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.nlu.parser import Understanding

SAMPLE = load_home(REPO / "src" / "jibsa" / "data" / "sample_home.yaml").home


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(SAMPLE)


def _commands(understood: Understanding) -> list[tuple[str, list[str], dict[str, Any]]]:
    return [(c["intent"], sorted(c["targets"]), c["params"]) for c in understood.to_json()["commands"]]


@pytest.mark.parametrize(("text", "want"), [
    ("블라인드 오픈", [("open", ["master_blind"], {})]),
    ("식세기 스타트", [("start", ["dishwasher"], {})]),
    ("안방 라이트 오프", [("turn_off", ["master_light"], {})]),
    ("청정기 온 해줘", [("turn_on", ["living_purifier"], {})]),
    ("스피커 볼륨 업", [("adjust", ["kids_speaker"], {"property": "volume", "direction": "up"})]),
    ("보일러 온도 업", [("adjust", ["boiler"], {"property": "temperature", "direction": "up"})]),
    ("거실 TV 파워 온", [("turn_on", ["living_tv"], {})]),
    ("거실 에어컨 턴 오프", [("turn_off", ["living_ac"], {})]),
    ("거실 커튼 클로즈", [("close", ["living_curtain"], {})]),
    ("세탁기 스톱", [("stop", ["washer"], {})]),
    ("TV 채널 다운", [("adjust", ["living_tv"], {"property": "channel", "direction": "down"})]),
    ("거실 TV 오프 시켜 줘", [("turn_off", ["living_tv"], {})]),
    ("세탁기 정지시켜 줘", [("stop", ["washer"], {})]),
    ("안방 조명 브라이트니스 업", [("adjust", ["master_light"], {"property": "brightness", "direction": "up"})]),
])
def test_konglish_verbs(parser: Parser, text: str, want: list[tuple[str, list[str], dict[str, Any]]]) -> None:
    assert _commands(parser.parse(text)) == want


@pytest.mark.parametrize("text", ["다녀온 거 알지", "작업 끝났어?"])
def test_konglish_words_hold_only_where_a_word_starts(parser: Parser, text: str) -> None:
    """온 inside 다녀온 and 업 inside 작업 are no verbs."""
    assert not [c for c in _commands(parser.parse(text)) if c[0] in ("turn_on", "adjust")]
