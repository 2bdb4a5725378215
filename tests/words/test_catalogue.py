"""The words catalogue: both languages have the same keys and placeholders, every key the code names
exists, and sentences are filled with particles, numbers and durations as each language writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jibsa
from jibsa.api.errors import STATUS, error_body
from jibsa.domain import korean
from jibsa.domain.said import Said
from jibsa.words import LANGUAGES, MissingWords, catalogue, english, say, sentences

SRC = Path(jibsa.__file__).parent
_FIELDS = re.compile(r"\{(\w+)(?:[|:][^}]+)?\}")  # {name}, {name|을}, {month:02d}


def test_both_languages_have_the_same_keys() -> None:
    ko, en = sentences("ko"), sentences("en")
    assert sorted(ko.keys() - en.keys()) == [], "in ko.yaml only"
    assert sorted(en.keys() - ko.keys()) == [], "in en.yaml only"


def test_both_languages_fill_the_same_fields() -> None:
    ko, en = sentences("ko"), sentences("en")
    for key, text in ko.items():
        assert set(_FIELDS.findall(text)) == set(_FIELDS.findall(en[key])), key
        assert text.strip() and en[key].strip(), key


def test_every_key_the_code_names_exists() -> None:
    named = {
        key
        for path in SRC.rglob("*.py")
        for key in re.findall(r"Said\(\s*\"([\w.]+)\"", path.read_text(encoding="utf-8"))
    }
    named |= {f"error.{code}" for code in STATUS}
    assert len(named) > len(STATUS)  # the scan found keys beyond the error codes
    for lang in LANGUAGES:
        assert sorted(named - sentences(lang).keys()) == [], lang


def test_a_key_missing_from_the_catalogue_is_an_error_naming_it() -> None:
    with pytest.raises(MissingWords, match=r"no 'error\.no_such_code'"):
        say(Said("error.no_such_code"), "en")
    with pytest.raises(ValueError, match="no words for language 'fr'"):
        catalogue("fr")


def test_api_errors_are_worded_from_the_catalogue_in_both_languages() -> None:
    body = error_body("unknown_device", {"device": "x"})
    assert body == {
        "code": "unknown_device",
        "message": "그런 기기가 없어요.",
        "message_en": "No such device.",
        "detail": {"device": "x"},
    }
    assert error_body("made_up")["message_en"] == "Something went wrong on the server."


@pytest.mark.parametrize(("word", "particle", "expected"), [
    ("거실 조명", "을", "거실 조명을"), ("에어컨", "은", "에어컨은"), ("TV", "를", "TV를"),
    ("aircon", "은", "aircon은"),  # read 에어컨 (readings.yaml)
    ("Samsung", "을", "Samsung을"),  # 삼성: ends in ㅇ, which the last letter 'g' alone does not say
    ("Google Home", "이", "Google Home이"),  # 홈
    ("robot", "으로", "robot으로"), ("LED", "가", "LED가"), ("PC-L", "로", "PC-L로"),  # 엘: ㄹ takes 로
    ("speaker", "는", "speaker는"), ("desk", "를", "desk를"), ("table", "로", "table로"),
    ("Hue(휴)", "가", "Hue(휴)가"), ("10", "이", "10이"), ("25%", "가", "25%가"),
])  # fmt: skip
def test_particles_follow_how_the_word_is_read(word: str, particle: str, expected: str) -> None:
    assert korean.josa(word, particle) == expected


def test_durations_are_written_one_way_in_each_language() -> None:
    assert [english.duration_text(s) for s in (5400, 90, 60, 1, 0)] == [
        "1 hour 30 minutes",
        "1 minute 30 seconds",
        "1 minute",
        "1 second",
        "0 seconds",
    ]
    assert [korean.duration_text(s) for s in (5400, 90, 0)] == ["1시간 30분", "1분 30초", "0초"]


def test_placeholders_take_particles_numbers_durations_and_lists() -> None:
    from jibsa.words import word

    fields = {"name": "aircon", "n": 24.0, "s": 600, "names": ["불", "TV", "에어컨"], "at": "21:00"}
    text = "{name|은} {n|number}도, {s|duration} 뒤, {names|list}, {at|clock}"
    assert word(text, fields, "ko") == "aircon은 24도, 10분 뒤, 불, TV와 에어컨, 저녁 9시"
    assert word("{name|은} {n}, {s|duration}, {names|list}, {at|clock}", fields, "en") == (
        "aircon 24, 10 minutes, 불, TV and 에어컨, 21:00"
    )
    with pytest.raises(MissingWords, match="no field 'who'"):
        word("{who}", {}, "en")


def test_a_said_survives_json() -> None:
    said = Said("error.not_found", {"n": 1})
    assert Said.from_json(said.to_json()) == said


def test_a_failure_an_adapter_said_is_worded_for_each_reader() -> None:
    from jibsa.adapters.thinq import messages
    from jibsa.domain import ErrorCode, TargetResult
    from jibsa.words.results import outcome_with_words, worded

    failed = TargetResult(
        "ac", False, ErrorCode.NOT_ANSWERING, said=messages.THINQ.not_answering(messages.THINQ.account, 10.0)
    )
    assert worded(failed, "ko").message == "LG 계정에서 10초 동안 응답이 없어요."
    assert worded(failed, "en").message == "No answer from the LG account for 10 seconds."
    data = outcome_with_words({"results": [failed.to_dict()]})
    assert data["results"][0]["message"] == "LG 계정에서 10초 동안 응답이 없어요."
    assert data["results"][0]["message_en"] == "No answer from the LG account for 10 seconds."
    offline = say(messages.offline("에어컨"), "ko")
    assert offline.startswith("에어컨이 LG 서버에")  # the particle fits the name, no more 이(가)
