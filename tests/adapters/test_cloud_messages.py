"""The cloud adapters' failure sentences are built by one helper (`adapters.cloud.messages`) from keys: every
key each vendor uses is in both catalogues, and the account is named as the reader's language names it."""

from __future__ import annotations

import pytest

from jibsa.adapters.cloud.messages import SHARED_KEYS
from jibsa.adapters.smartthings import messages as smartthings
from jibsa.adapters.thinq import messages as thinq
from jibsa.words import say
from jibsa.words.catalogue import sentences

OWN_KEYS = {"smartthings": ("gone",), "thinq": ("offline", "remote_off", "power_off")}


@pytest.mark.parametrize("vendor", sorted(OWN_KEYS))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_key_a_vendor_uses_is_in_the_catalogue(vendor: str, language: str) -> None:
    missing = [k for k in (*SHARED_KEYS, *OWN_KEYS[vendor]) if f"{vendor}.{k}" not in sentences(language)]
    assert missing == []


def test_the_account_is_named_in_the_readers_language_and_a_device_by_its_name() -> None:
    account = say(thinq.THINQ.not_answering(thinq.THINQ.account, 10.0), "ko")
    assert thinq.THINQ.account not in account and "LG" in account
    assert "세탁기" in say(thinq.refused("세탁기", "1234", "busy"), "ko")
    assert say(smartthings.gone(smartthings.SMARTTHINGS.account), "en") != say(smartthings.gone("TV"), "en")
    assert smartthings.SMARTTHINGS.not_linked("TV").key == "smartthings.not_linked"
    assert thinq.THINQ.unsupported("건조기").fields == {"name": "건조기"}
