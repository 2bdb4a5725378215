"""Korean read aloud the way people read it (the text espeak-ng is given)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jibsa.voice.reading import native_korean, read_aloud, sino_korean


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("23도", "이십삼 도"),
        ("3시 30분", "세 시 삼십 분"),
        ("2개", "두 개"),
        ("70%", "칠십 퍼센트"),
        ("TV를 껐어요", "티브이를 껐어요"),
        ("LG 에어컨", "엘지 에어컨"),
        ("21개", "스물한 개"),
        ("20살", "스무 살"),
        ("2시간 뒤에", "두 시간 뒤에"),
        ("1층", "일 층"),
        ("23.5도", "이십삼 점 오 도"),
        ("10000원", "만 원"),
        ("-5°C", "마이너스 오 도"),
        ("AI 스피커", "에이아이 스피커"),
        ("100번째", "백 번째"),
        ("에어컨을 23도로 맞출게요.", "에어컨을 이십삼 도로 맞출게요."),
    ],
)
def test_numbers_units_and_latin_names_are_read_as_people_say_them(written: str, spoken: str) -> None:
    assert read_aloud(written) == spoken


TABLE = yaml.safe_load((Path(__file__).parent / "reading_table.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        pytest.param(written, spoken, id=f"{kind}: {written}")
        for kind, rows in TABLE.items()
        for written, spoken in rows
    ],
)
def test_the_reading_table(written: str, spoken: str) -> None:
    assert read_aloud(written) == spoken


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "영"),
        (10, "십"),
        (11, "십일"),
        (101, "백일"),
        (1999, "천구백구십구"),
        (10_000, "만"),
        (12_345, "만 이천삼백사십오"),
        (20_000, "이만"),
        (100_000_000, "일억"),
    ],
)
def test_sino_korean(number: int, words: str) -> None:
    assert sino_korean(number) == words


@pytest.mark.parametrize(("number", "words"), [(1, "한"), (4, "네"), (10, "열"), (25, "스물다섯"), (99, "아흔아홉")])
def test_native_korean(number: int, words: str) -> None:
    assert native_korean(number) == words


@given(st.text(alphabet=st.sampled_from("0123456789.,%개시분도 TVLGab가-"), max_size=40))
def test_no_digit_is_left_for_the_synthesiser_to_guess(text: str) -> None:
    assert not re.search(r"\d", read_aloud(text))
