"""The phrase book: skills' templates as plain data, matched against whole sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jibsa.nlu.phrases import PhraseBook, PhraseRule
from jibsa.skills.weather import weather_manifest

BOOK = PhraseBook(
    [
        PhraseRule(
            "laundry",
            {"ko": ["[{day}] 빨래 (널어도|말려도)*"], "en": ["can i dry [the] laundry [{day}]"]},
            {"topic": "laundry"},
        )
    ],
    {"day": {"today": ["오늘", "today"], "tomorrow": ["내일", "tomorrow"]}},
)


def test_slots_optional_parts_and_endings() -> None:
    assert BOOK.match("내일 빨래 널어도 될까요?").params == {"topic": "laundry", "day": "tomorrow"}  # type: ignore[union-attr]
    assert BOOK.match("빨래말려도돼").params == {"topic": "laundry"}  # type: ignore[union-attr]
    assert BOOK.match("Can I dry the laundry tomorrow?").language == "en"  # type: ignore[union-attr]


def test_only_whole_sentences_in_their_own_language_match() -> None:
    assert BOOK.match("거실 빨래 널어도 돼?") is None  # a word before that no template allows
    assert BOOK.match("can i dry laundry 내일") is None  # mixed: read as Korean, and no Korean template fits
    assert BOOK.match("빨래") is None


def test_the_weather_phrases_leave_device_commands_to_the_parser() -> None:
    book = PhraseBook(weather_manifest().rules, weather_manifest().slots)
    for sentence in (
        "거실 불 꺼줘",
        "에어컨 23도로 맞춰줘",
        "거실 미세먼지 어때?",
        "공기청정기 켜줘",
        "세탁 언제 끝나?",
        "turn off the living room light",
        "30분 뒤에 보일러 꺼",
    ):
        assert book.match(sentence) is None, sentence


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_matched_or_not_without_failing(text: str) -> None:
    book = PhraseBook(weather_manifest().rules, weather_manifest().slots)
    found = book.match(text)
    assert found is None or found.intent == "get_weather"
