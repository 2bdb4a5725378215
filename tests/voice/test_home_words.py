"""The home's own words given to the recogniser: English room, device and kind names, never a safety
device's; none for Korean; and the service hands them to the recogniser for the home it hears for."""

from __future__ import annotations

import numpy as np
import pytest
from voice_doubles import ScriptedRecognizer

from jibsa.domain import Home
from jibsa.home_file import load_home, parse_home_text
from jibsa.nlu import Parser
from jibsa.voice.audio import RATE
from jibsa.voice.home_words import home_words
from jibsa.voice.listener import Listener
from jibsa.voice.service import VoiceService


@pytest.fixture(scope="module")
def home() -> Home:
    return load_home(None).home


def _words(prompt: str | None) -> list[str]:
    assert prompt is not None
    return prompt.split(", ")


def test_english_words_name_the_rooms_devices_and_kinds_of_the_home(home: Home) -> None:
    words = _words(home_words(home, "en"))
    assert {"living room", "bedroom", "kids room", "kitchen", "floor lamp", "robot vacuum"} <= set(words)
    assert {"light", "tv", "humidifier", "dishwasher", "washer", "boiler", "fan"} <= set(words)
    assert len(words) == len(set(words))


def test_a_safety_device_is_never_prompted_nor_its_kind(home: Home) -> None:
    words = set(_words(home_words(home, "en")))
    assert not words & {"front door", "door", "lock", "gas valve", "gas", "garage door", "garage"}


def test_korean_is_heard_without_a_prompt(home: Home) -> None:
    assert home_words(home, "ko") is None


def test_a_home_with_no_english_words_gives_none() -> None:
    text = """
rooms:
  - {id: kitchen, name: 주방}
devices:
  - {id: kitchen_gas, name: 가스 밸브, type: gas_valve, room: kitchen}
"""
    only_gas = parse_home_text(text, "only-gas.yaml").home
    assert home_words(only_gas, "en") is None


async def test_the_service_and_the_listener_hand_the_home_words_to_the_recogniser(home: Home) -> None:
    recognizer = ScriptedRecognizer("turn on the kitchen light")
    service = VoiceService(recognizer, None)
    audio = np.full(RATE, 0.2, np.float32)
    await service.hear(audio, "en", Parser(home, "en"))
    assert recognizer.hotwords == home_words(home, "en")
    await service.hear(audio, "ko", Parser(home))
    assert recognizer.hotwords is None
    listener = Listener(service, "en", hotwords=service.words_of(home, "en"))
    listener.add((np.full(RATE, 0.2, np.float32) * 32767).astype("<i2").tobytes())
    await listener.final()
    assert recognizer.hotwords == home_words(home, "en")


async def test_home_words_can_be_turned_off(home: Home) -> None:
    recognizer = ScriptedRecognizer("turn on the kitchen light")
    service = VoiceService(recognizer, None, use_home_words=False)
    await service.hear(np.full(RATE, 0.2, np.float32), "en", Parser(home, "en"))
    assert recognizer.hotwords is None
