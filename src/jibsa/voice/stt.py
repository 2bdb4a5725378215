"""Speech to text behind one small interface, and the default engine: faster-whisper (CTranslate2,
int8 on the CPU) with the Silero VAD it ships.

The engine returns the beam's n best hypotheses (CTranslate2 gives them from one beam search, so
they cost nothing extra); `choice.choose_understood` picks among them. Decoding is bounded on
purpose: temperature 0 only (fallback to sampling took 4–15 s on unclear Korean audio), no
timestamps, no previous-text conditioning, no prompt (a prompt of the home's phrases made Whisper
base repeat the prompt instead of hearing the speech), and a cap on the tokens of one answer.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from jibsa.voice.audio import RATE, Samples
from jibsa.voice.denoise import suppress_noise

MAX_ANSWER_TOKENS = 96  # a spoken command is a dozen tokens; noise can loop forever without a cap
_SPEECH_PAD_S = 0.2
NOISE_SUPPRESSION = 2  # WebRTC's level before VAD and decoding (voice/denoise.py); 0 turns it off


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float  # the recogniser's own log-probability based score; higher is likelier


@dataclass(frozen=True)
class Recognition:
    """What one utterance was heard as: hypotheses best first (none when there was no speech), and the
    time spent on noise suppression, VAD and decoding."""

    alternatives: tuple[Hypothesis, ...]
    vad_ms: float = 0.0
    stt_ms: float = 0.0
    denoise_ms: float = 0.0

    @property
    def text(self) -> str:
        return self.alternatives[0].text if self.alternatives else ""

    @property
    def heard_speech(self) -> bool:
        return any(h.text for h in self.alternatives)


class Recognizer(Protocol):
    """Hears 16 kHz mono float32 audio in `language`. Blocking: run it in a worker thread."""

    languages: tuple[str, ...]

    def recognize(self, audio: Samples, language: str) -> Recognition: ...

    def speech_end(self, audio: Samples) -> float | None:
        """Where speech in `audio` ends (seconds), None if there is none."""
        ...


class WhisperRecognizer:
    """A CTranslate2 Whisper model loaded once; safe to call from one thread at a time per model."""

    languages: tuple[str, ...] = ("ko", "en")

    def __init__(
        self, model_dir: Path, *, beam_size: int = 5, cpu_threads: int = 0, noise_suppression: int = NOISE_SUPPRESSION
    ) -> None:
        from faster_whisper import WhisperModel

        self.beam_size = beam_size
        self.noise_suppression = noise_suppression
        self.model_dir = model_dir
        self._model = WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads or (os.cpu_count() or 1)
        )

    def speech_end(self, audio: Samples) -> float | None:
        stamps = _speech_stamps(audio)
        return stamps[-1]["end"] / RATE if stamps else None

    def recognize(self, audio: Samples, language: str) -> Recognition:
        started = time.perf_counter()
        audio = suppress_noise(audio, self.noise_suppression)
        cleaned = time.perf_counter()
        stamps = _speech_stamps(audio)
        vad_ms = (time.perf_counter() - cleaned) * 1000
        denoise_ms = (cleaned - started) * 1000
        if not stamps:
            return Recognition((), vad_ms, 0.0, denoise_ms)
        pad = int(_SPEECH_PAD_S * RATE)
        clip = audio[max(0, stamps[0]["start"] - pad) : stamps[-1]["end"] + pad]
        decoded = time.perf_counter()
        alternatives = self._decode(clip, language)
        stt_ms = (time.perf_counter() - decoded) * 1000
        return Recognition(alternatives, vad_ms, stt_ms, denoise_ms)

    def _decode(self, clip: Samples, language: str) -> tuple[Hypothesis, ...]:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self._model
        features = pad_or_trim(model.feature_extractor(clip)[..., :-1])
        encoded = model.encode(features)
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
        prompt = model.get_prompt(tokenizer, [], without_timestamps=True)
        result: Any = model.model.generate(
            encoded,
            [prompt],
            beam_size=self.beam_size,
            num_hypotheses=self.beam_size,
            return_scores=True,
            max_length=len(prompt) + MAX_ANSWER_TOKENS,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        )[0]
        found: dict[str, Hypothesis] = {}
        for tokens, score in zip(result.sequences_ids, result.scores, strict=True):
            text = tokenizer.decode(tokens).strip()
            same = "".join(c for c in text.lower() if c.isalnum())  # hypotheses differing only in case or punctuation
            if same and same not in found:
                found[same] = Hypothesis(text, float(score))
        return tuple(found.values())


def _speech_stamps(audio: Samples) -> list[dict[str, int]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0 or not np.any(audio):
        return []
    options = VadOptions(min_silence_duration_ms=300, speech_pad_ms=0, min_speech_duration_ms=150)
    stamps: list[dict[str, int]] = get_speech_timestamps(audio, options)
    return stamps
