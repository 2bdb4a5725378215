"""What a person hears when the SmartThings cloud lets jibsa down (`smartthings.*` in the words
catalogue): the cloud accounts' shared sentences, and SmartThings' own."""

from __future__ import annotations

from jibsa.adapters.cloud.messages import CloudMessages
from jibsa.domain.said import Said

SMARTTHINGS = CloudMessages("smartthings", "the SmartThings account")


def gone(name: str) -> Said:
    return SMARTTHINGS.about("gone", name)


def refused(name: str, detail: str) -> Said:
    return SMARTTHINGS.about("refused", name, detail=detail)
