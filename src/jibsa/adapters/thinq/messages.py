"""What a person hears when LG's cloud lets jibsa down: keys of the words catalogue (`thinq.*` in
words/ko.yaml and en.yaml), worded in the reader's language where they are read."""

from __future__ import annotations

from typing import Any

from jibsa.domain.said import Said

ACCOUNT = "the LG account"  # the name used (logs too) when the account, not one device, did not answer
TOKEN_EXPIRED = Said("thinq.token_expired")
RATE_LIMITED = Said("thinq.rate_limited")
CLOUD_ERROR = Said("thinq.cloud_error")
CLOUD_UNREACHABLE = Said("thinq.cloud_unreachable")


def _name(name: str) -> Any:
    return Said("thinq.account").to_json() if name == ACCOUNT else name


def not_answering(name: str, seconds: float) -> Said:
    return Said("thinq.not_answering", {"name": _name(name), "seconds": seconds})


def offline(name: str) -> Said:
    return Said("thinq.offline", {"name": _name(name)})


def remote_off(name: str) -> Said:
    return Said("thinq.remote_off", {"name": _name(name)})


def power_off(name: str) -> Said:
    return Said("thinq.power_off", {"name": _name(name)})


def refused(name: str, code: str, detail: str) -> Said:
    return Said("thinq.refused", {"name": _name(name), "code": code, "detail": detail})


def not_linked(name: str) -> Said:
    return Said("thinq.not_linked", {"name": name})


def unsupported(name: str) -> Said:
    return Said("thinq.unsupported", {"name": name})
