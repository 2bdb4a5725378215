"""What a person hears when LG's cloud lets jibsa down (`thinq.*` in the words catalogue): the cloud
accounts' shared sentences, and ThinQ's own."""

from __future__ import annotations

from jibsa.adapters.cloud.messages import CloudMessages
from jibsa.domain.said import Said

THINQ = CloudMessages("thinq", "the LG account")


def offline(name: str) -> Said:
    return THINQ.about("offline", name)


def remote_off(name: str) -> Said:
    return THINQ.about("remote_off", name)


def power_off(name: str) -> Said:
    return THINQ.about("power_off", name)


def refused(name: str, code: str, detail: str) -> Said:
    return THINQ.about("refused", name, code=code, detail=detail)
