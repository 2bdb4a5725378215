"""The policy decides who may do what, for every path (API, conversation, timers, rules)."""

from __future__ import annotations

import pytest

from jibsa.domain import Command, Role
from jibsa.domain.commands import MAX_DELAY_S, CommandFormatError
from jibsa.domain.policy import (
    LATE_GRACE_S,
    SAFETY_LATE_GRACE_S,
    late_grace_s,
    may_cancel_job,
    pending_job_limit,
    refusal_for_request,
)
from jibsa.home_file import load_home


def test_guests_make_no_automations_but_may_ask_for_a_one_off_delay() -> None:
    daily = Command("turn_on", ("boiler",), {"at": "07:00", "repeat": "daily"})
    later = Command("turn_on", ("boiler",), {"delay_s": 60})
    assert refusal_for_request(Role.GUEST, daily) is not None
    assert refusal_for_request(Role.GUEST, later) is None
    assert refusal_for_request(Role.MEMBER, daily) is None


def test_guests_cancel_only_their_own_timers() -> None:
    assert may_cancel_job(Role.GUEST, "손님", "손님")
    assert not may_cancel_job(Role.GUEST, "손님", "엄마")
    assert not may_cancel_job(Role.GUEST, "손님", None)
    assert may_cancel_job(Role.MEMBER, "아빠", "엄마")
    assert pending_job_limit(Role.GUEST) < pending_job_limit(Role.MEMBER)


def test_commands_that_open_the_home_never_fire_late() -> None:
    home = load_home(None).home
    assert late_grace_s(home, Command("unlock", ("front_door",))) == SAFETY_LATE_GRACE_S
    assert late_grace_s(home, Command("turn_off", ("boiler",))) == LATE_GRACE_S
    assert SAFETY_LATE_GRACE_S < LATE_GRACE_S


@pytest.mark.parametrize("delay", [float("nan"), float("inf"), 1e300, -1, MAX_DELAY_S + 1, True, "60"])
def test_delays_are_bounded_finite_numbers(delay: object) -> None:
    with pytest.raises(CommandFormatError, match="delay_s"):
        Command.from_dict({"intent": "turn_off", "targets": ["boiler"], "params": {"delay_s": delay}})
