"""Noise suppression before recognition: steady noise is taken down, speech is kept, the clip keeps its
length, level 0 leaves the audio alone and a wrong level is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from jibsa.voice.audio import RATE, read_wav
from jibsa.voice.denoise import suppress_noise


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def _noise(seconds: float, level: float = 0.05) -> np.ndarray:
    return (np.random.default_rng(7).standard_normal(int(seconds * RATE)) * level).astype(np.float32)


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_steady_noise_is_taken_down_and_the_length_kept(level: int) -> None:
    noise = _noise(2.0)
    cleaned = suppress_noise(noise, level)
    assert len(cleaned) == len(noise)
    settled = slice(RATE // 2, None)  # the suppressor learns the noise in its first frames
    assert _rms(cleaned[settled]) < 0.5 * _rms(noise[settled])


def test_speech_in_noise_keeps_more_of_the_speech_than_of_the_noise(espeak: Callable[..., Path]) -> None:
    speech = read_wav(espeak("turn on the kitchen light").read_bytes())
    lead = RATE  # a second of noise alone first, as a room sounds before someone speaks
    noise = _noise((lead + len(speech)) / RATE, level=0.02)
    mixed = noise.copy()
    mixed[lead:] += speech
    cleaned = suppress_noise(mixed, 2)
    loud = np.abs(speech) > 0.05
    kept_speech = _rms(cleaned[lead:][loud]) / _rms(mixed[lead:][loud])
    kept_noise = _rms(cleaned[RATE // 2 : lead]) / _rms(mixed[RATE // 2 : lead])
    assert kept_speech > 0.5 and kept_noise < 0.5 * kept_speech


def test_level_0_and_empty_audio_are_given_back_as_they_are() -> None:
    noise = _noise(0.5)
    assert suppress_noise(noise, 0) is noise
    empty = np.zeros(0, dtype=np.float32)
    assert len(suppress_noise(empty, 2)) == 0


@pytest.mark.parametrize("level", [-1, 5])
def test_a_level_outside_0_to_4_is_refused(level: int) -> None:
    with pytest.raises(ValueError, match=r"must be 0\.\.4"):
        suppress_noise(_noise(0.1), level)


def test_a_clip_that_is_not_whole_10_ms_frames_keeps_its_tail() -> None:
    noise = _noise(0.3)[:3_205]
    assert len(suppress_noise(noise, 2)) == 3_205
