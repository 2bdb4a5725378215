"""One keeper of requests waiting for a second word: exact requests, one person and session, a window."""

from __future__ import annotations

from jibsa.confirmations import Answer, Confirmations, answer_in
from jibsa.domain import Command

UNLOCK = Command("unlock", ("front_door",))
UNLOCK_LATER = Command("unlock", ("front_door",), {"delay_s": 5})


def test_a_held_request_is_confirmed_once_by_the_same_person_within_the_window() -> None:
    now = [0.0]
    kept = Confirmations(60.0, clock=lambda: now[0])
    kept.hold("엄마|s", [UNLOCK], "현관문을 열게요.")
    assert kept.take("아빠|s", [UNLOCK]) is None
    held = kept.take("엄마|s", [UNLOCK])
    assert held is not None and held.promised == "현관문을 열게요."
    assert kept.take("엄마|s", [UNLOCK]) is None  # once


def test_a_confirmation_confirms_exactly_the_request_it_was_asked_for() -> None:
    kept = Confirmations()
    kept.hold("엄마|", [UNLOCK_LATER])
    assert kept.take("엄마|", [UNLOCK]) is None  # "현관문 열어줘" does not confirm "5초 뒤에 현관문 열어줘"
    assert kept.take("엄마|", [UNLOCK_LATER]) is not None


def test_held_requests_expire() -> None:
    now = [0.0]
    kept = Confirmations(60.0, clock=lambda: now[0])
    kept.hold("엄마|", [UNLOCK])
    now[0] = 61.0
    assert kept.waiting("엄마|") is None and kept.take("엄마|") is None


def test_yes_and_no_are_read_alone_not_inside_a_sentence() -> None:
    assert answer_in("응!") is Answer.YES and answer_in(" 네. ") is Answer.YES and answer_in("OK") is Answer.YES
    assert answer_in("아니요") is Answer.NO and answer_in("no") is Answer.NO
    assert answer_in("응 그리고 불 꺼줘") is None and answer_in("현관문 열어줘") is None
