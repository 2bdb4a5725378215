"""The home's unlock PIN (`JIBSA_UNLOCK_PIN`): checked with a limit on wrong tries per asker, and read
from what a person said ("응 1234", "일 이 삼 사") when it came through a spoken entrance."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from jibsa.gate.errors import GateRefused
from jibsa.redaction import REDACTED, plain

_SPOKEN_DIGITS = {"영": "0", "공": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6",
                  "륙": "6", "칠": "7", "팔": "8", "구": "9",
                  "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                  "six": "6", "seven": "7", "eight": "8", "nine": "9"}  # fmt: skip
_WORD = re.compile(r"[0-9]+|[a-z]+|[가-힣]", re.IGNORECASE)
MIN_SPOKEN_DIGITS = 4
# A PIN named as one inside a sentence ("비밀번호 1234로 열어", "pin: 2468"): the digits after the word.
_NAMED_PIN = re.compile(
    r"(?i)(pin|핀|비밀\s*번호|암호|password|passcode)(\s*(?:은|는|이|가|을|를|:|=)?\s*)(?:[0-9영공일이삼사오육륙칠팔구]\s*){4,}"
)


class Attempts(Protocol):
    """Wrong tries per asker (`jibsa.api.limits.AttemptLimiter` is one)."""

    def retry_after(self, key: str) -> int: ...

    def record(self, key: str) -> None: ...

    def reset(self, key: str) -> None: ...


class PinLock:
    """The PIN, as a check (`verify`, None: the home has none) and the wrong tries so far."""

    def __init__(self, verify: Callable[[str], bool] | None, attempts: Attempts) -> None:
        self._verify = verify
        self._attempts = attempts

    @property
    def configured(self) -> bool:
        return self._verify is not None

    def check(self, key: str, pin: str | None) -> None:
        """Pass when `pin` is the PIN; raise `wrong_pin` (or `too_many_requests` after too many wrong
        tries, or `pin_required` when the home has no PIN to give)."""
        if self._verify is None:
            raise GateRefused("pin_required")
        wait = self._attempts.retry_after(key)
        if wait:
            raise GateRefused("too_many_requests", retry_after=wait)
        if pin is None or not self._verify(pin):
            self._attempts.record(key)
            raise GateRefused("wrong_pin")
        self._attempts.reset(key)


def spoken_pin(text: str) -> str | None:
    """The digits said in `text` when it is nothing but a yes and a PIN ("응 1234", "네 일이삼사", "1 2 3 4"),
    else None. Words other than digits and a yes make it not a PIN (a sentence with a number in it)."""
    from jibsa.confirmations import Answer, answer_in

    digits: list[str] = []
    rest: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word.isdigit():
            digits.append(word)
        elif word in _SPOKEN_DIGITS:
            digits.append(_SPOKEN_DIGITS[word])
        else:
            rest.append(word)
    if rest and answer_in("".join(rest)) is not Answer.YES:
        return None
    pin = "".join(digits)
    return pin if len(pin) >= MIN_SPOKEN_DIGITS else None


def without_pin(text: str) -> str:
    """`text` as the audit keeps it: [redacted] whole when it reads as a yes and a PIN (right or wrong), and
    digits named as a PIN inside a sentence replaced; any Unicode form (full-width digits, zero-width
    spaces) read as a person would read it."""
    seen = plain(text)
    if spoken_pin(seen) is not None:
        return REDACTED
    return _NAMED_PIN.sub(rf"\1\2{REDACTED}", seen) if _NAMED_PIN.search(seen) else text
