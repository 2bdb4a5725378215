"""What a person hears when the SmartThings cloud lets jibsa down: keys of the words catalogue
(`smartthings.*` in words/ko.yaml and en.yaml), worded in the reader's language where they are read."""

from __future__ import annotations

from typing import Any

from jibsa.domain.said import Said

ACCOUNT = "the SmartThings account"  # the name used (logs too) when the account, not one device, did not answer
TOKEN_EXPIRED = Said("smartthings.token_expired")
RATE_LIMITED = Said("smartthings.rate_limited")
CLOUD_ERROR = Said("smartthings.cloud_error")
CLOUD_UNREACHABLE = Said("smartthings.cloud_unreachable")


def _name(name: str) -> Any:
    return Said("smartthings.account").to_json() if name == ACCOUNT else name


def not_answering(name: str, seconds: float) -> Said:
    return Said("smartthings.not_answering", {"name": _name(name), "seconds": seconds})


def gone(name: str) -> Said:
    return Said("smartthings.gone", {"name": _name(name)})


def refused(name: str, detail: str) -> Said:
    return Said("smartthings.refused", {"name": _name(name), "detail": detail})


def not_linked(name: str) -> Said:
    return Said("smartthings.not_linked", {"name": name})


def unsupported(name: str) -> Said:
    return Said("smartthings.unsupported", {"name": name})
