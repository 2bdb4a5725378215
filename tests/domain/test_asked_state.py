"""Which devices are in the state a question names: by each kind of state a device reports."""

from __future__ import annotations

import pytest

from jibsa.domain import Command, CommandFormatError
from jibsa.domain.asked_state import ASKED_STATES, in_state

CASES = [
    ({"power": True}, {"on"}),
    ({"power": False}, {"off"}),
    ({"power": False, "run_state": "running"}, {"on"}),
    ({"run_state": "docked", "battery": 90}, {"off"}),
    ({"run_state": "cleaning"}, {"on"}),
    ({"power": True, "run_state": "charging", "battery": 100}, {"off"}),  # a vacuum on its dock
    ({"position": 0}, {"closed"}),
    ({"position": 40}, {"open"}),
    ({"valve": "open"}, {"open"}),
    ({"valve": "closed"}, {"closed"}),
    ({"lock": "locked"}, {"locked", "closed"}),
    ({"lock": "unlocked"}, {"unlocked", "open"}),
    ({"window": True}, {"open"}),
    ({"door": False, "battery": 80}, {"closed"}),
    ({"temperature": 23.5, "humidity": 40}, set()),
]


@pytest.mark.parametrize(("state", "expected"), CASES)
def test_a_device_is_in_exactly_the_states_its_readings_say(state: dict[str, object], expected: set[str]) -> None:
    assert {asked for asked in ASKED_STATES if in_state(state, asked)} == expected


def test_a_command_asking_an_unknown_state_is_refused_by_field() -> None:
    with pytest.raises(CommandFormatError, match=r"params\.state"):
        Command.from_dict({"intent": "query_state", "targets": ["a"], "params": {"state": "banana"}})
    ok = Command.from_dict({"intent": "query_state", "targets": ["a"], "params": {"state": "on"}})
    assert ok.params == {"state": "on"}
