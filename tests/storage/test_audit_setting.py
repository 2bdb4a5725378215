"""`audit: {days: N}` in jibsa.yaml: how long the audit log is kept (like `history: {days}`)."""

from __future__ import annotations

import pytest

from jibsa.app import Settings, audit_days, check_settings
from jibsa.config import ConfigError


def test_the_audit_retention_setting() -> None:
    assert audit_days(Settings()) == 90
    assert audit_days(Settings(adapter_settings={"audit": {"days": 7}})) == 7
    assert audit_days(Settings(adapter_settings={"audit": {"days": "0"}})) == 0


@pytest.mark.parametrize("bad", ["lots", -1, float("nan"), float("inf"), None])
def test_a_bad_audit_retention_names_the_field(bad: object) -> None:
    with pytest.raises(ConfigError, match=r"jibsa.yaml: audit.days: .* is not a number of days"):
        check_settings(Settings(adapter_settings={"audit": {"days": bad}}), "jibsa.yaml")
