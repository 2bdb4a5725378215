"""`history: {days: N}` in jibsa.yaml: how much state history the store keeps."""

from __future__ import annotations

import pytest

from jibsa.app import Settings, history_days
from jibsa.config import ConfigError


def test_thirty_days_unless_told_and_zero_keeps_everything() -> None:
    assert history_days(Settings()) == 30
    assert history_days(Settings(adapter_settings={"history": {"days": 7}})) == 7
    assert history_days(Settings(adapter_settings={"history": {"days": "0"}})) == 0


@pytest.mark.parametrize("bad", ["a week", -1, None, float("nan"), float("inf")])
def test_a_bad_number_of_days_is_refused_naming_the_field(bad: object) -> None:
    with pytest.raises(ConfigError, match=r"history\.days"):
        history_days(Settings(adapter_settings={"history": {"days": bad}}))
