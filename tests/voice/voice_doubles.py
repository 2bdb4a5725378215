"""A recogniser double for tests that need a Korean transcript (espeak-ng's Korean voice is not
intelligible to Whisper): `ScriptedRecognizer` hears whatever it was told to, for any audio that
is not silent. The English path in these tests goes through the real Whisper model."""

from __future__ import annotations

import threading

import numpy as np

from jibsa.voice.audio import RATE, Samples
from jibsa.voice.stt import Hypothesis, Recognition

_SPEECH_LEVEL = 0.01
_WINDOW = RATE // 50


class ScriptedRecognizer:
    """Returns `alternatives` (best first) for audio with sound in it; optionally waits for `gate`."""

    languages: tuple[str, ...] = ("ko", "en")

    def __init__(
        self, *alternatives: str, gate: threading.Event | None = None, step: float = 1.0, first: float = 0.0
    ) -> None:
        self.alternatives = alternatives
        self.step = step  # how much less likely each hypothesis is than the one before
        self.first = first  # the likeliest hypothesis's score
        self.gate = gate
        self.calls = 0
        self.hotwords: str | None = None  # what the latest recognition was told to listen for

    def speech_end(self, audio: Samples) -> float | None:
        usable = len(audio) - len(audio) % _WINDOW
        loud = np.flatnonzero(np.abs(audio[:usable]).reshape(-1, _WINDOW).max(axis=1) > _SPEECH_LEVEL)
        return float((loud[-1] + 1) * _WINDOW / RATE) if len(loud) else None

    def recognize(self, audio: Samples, language: str, hotwords: str | None = None) -> Recognition:
        self.calls += 1
        self.hotwords = hotwords
        if self.gate is not None:
            self.gate.wait(30)
        if self.speech_end(audio) is None:
            return Recognition(())
        scored = (Hypothesis(text, self.first - rank * self.step) for rank, text in enumerate(self.alternatives))
        return Recognition(tuple(scored))
