"""Facts a reply names, worded with the particle where Korean puts it: "불을 모두", "모든 불의", "불 5개를";
a value with its unit; words the catalogue does not have, as they are."""

from __future__ import annotations

import pytest

from jibsa.words import say, word
from jibsa.words.phrases import is_phrase

EVERY = {"what": "every", "kind": "light"}
EVERY_ROOM = {"what": "every", "kind": "light", "room": "거실"}


@pytest.mark.parametrize(
    ("template", "fact", "ko", "en"),
    [
        ("{t|을}", EVERY, "불을 모두", "all the lights"),
        ("{t|의}", EVERY, "모든 불의", "all the lights"),
        ("{t|은}", EVERY_ROOM, "거실 불은 모두", "all the lights in 거실"),
        ("{t|의}", EVERY_ROOM, "모든 거실 불의", "all the lights in 거실"),
        ("{t}", EVERY, "불 모두", "all the lights"),
        ("{t|을}", {"what": "counted", "kind": "light", "count": 5}, "불 5개를", "5 lights"),
        ("{t|을}", {"what": "counted", "kind": "tv", "count": 2}, "TV 2개를", "2 TVs"),
        ("{t|을}", {"what": "devices", "names": ["거실 TV"]}, "거실 TV를", "거실 TV"),
        ("{t|이}", {"what": "devices", "names": ["A", "거실 천장등", "스탠드"]}, "A, 거실 천장등과 스탠드가",
         "A, 거실 천장등 and 스탠드"),
        ("{t|으로}", {"what": "value", "property": "temperature", "value": 24.5}, "24.5도로", "24.5°"),
        ("{t|으로}", {"what": "value", "property": "channel", "value": 7}, "7번으로", "7"),
        ("{t|이에요}", {"what": "value", "property": "mode", "value": "warm_white"}, "전구색이에요", "warm white"),
        ("{t|으로}", {"what": "value", "property": "mode", "value": "eco"}, "eco로", "eco"),
        ("{t}", {"what": "value", "property": "power", "value": True}, "켬", "on"),
        ("{t|이에요}", {"what": "value", "property": "remaining_time", "value": 5400}, "1시간 30분이에요",
         "1 hour 30 minutes"),
        ("{t|으로}", {"what": "value", "property": "run_state", "value": "running"}, "작동 중으로", "running"),
        ("{t|을}", {"what": "word", "of": "reply.properties", "name": "fan_speed"}, "바람 세기를", "fan speed"),
        ("{t|을}", {"what": "word", "of": "reply.properties", "name": "new_thing"}, "new thing을", "new thing"),
    ],
)  # fmt: skip
def test_a_fact_is_worded_with_its_particle(template: str, fact: dict[str, object], ko: str, en: str) -> None:
    assert is_phrase(fact)
    assert [word(template, {"t": fact}, lang) for lang in ("ko", "en")] == [ko, en]


def test_a_nested_said_with_facts_is_worded_whole() -> None:
    promised = {"key": "reply.promise.turn_off", "fields": {"targets": EVERY}}
    when = {"what": "when", "delay_s": 30}
    from jibsa.domain.said import Said

    said = Said("reply.timed", {"when": when, "promise": promised})
    assert say(said, "ko") == "30초 뒤에 불을 모두 끌게요."
    assert say(said, "en") == "in 30 seconds, I'll turn off all the lights."  # capitalised as a reply's sentence
    assert not is_phrase({"what": "nonsense"}) and not is_phrase({"ko": "x"})
