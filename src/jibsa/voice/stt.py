"""Speech to text behind one small interface, and the default engine: faster-whisper (CTranslate2,
int8 on the CPU) with the Silero VAD it ships.

Noise is suppressed first (`denoise`). The engine returns the beam's n best hypotheses (CTranslate2
gives them from one beam search, so they cost nothing extra); `choice.choose_understood` picks among
them. Decoding is bounded on purpose: temperature 0 only (fallback to sampling took 4–15 s on unclear
Korean audio), no timestamps, no previous-text conditioning, no prompt but the home's own words as
hotwords where they help (`home_words`: English), and a cap on the tokens of one answer.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from jibsa.voice.audio import RATE, Samples
from jibsa.voice.denoise import suppress_noise

MAX_ANSWER_TOKENS = 96  # a spoken command is a dozen tokens; noise can loop forever without a cap
_SPEECH_PAD_S = 0.2
# The encoder hears this much: the utterance, then silence (zeros in the features, as faster-whisper pads).
# Whisper's own window is 30 s; the encoder's time grows faster than its length, and on espeak-ng English
# 10 s heard more through noise (10 dB: 75% understood against 67%) and a little less of clear speech (86%
# against 92%) in bench/voice_bench.py. A longer utterance gets a window as long as itself, up to 30 s.
WINDOW_S = 10.0
FULL_WINDOW_S = 30.0
# The hotwords' beam is narrower than the audio's own: at 3 (against 5) it understood as much or more in
# every English condition of bench/voice_bench.py (10 dB: 79% against 75%), with no wrong action.
HOTWORD_BEAM = 3
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
    stt_ms: float = 0.0  # all of decoding: the encoder and both beams
    denoise_ms: float = 0.0
    stages_ms: tuple[float, ...] = ()  # decoding's parts: the encoder, the audio's own beam, the hotwords' beam

    @property
    def text(self) -> str:
        return self.alternatives[0].text if self.alternatives else ""

    @property
    def heard_speech(self) -> bool:
        return any(h.text for h in self.alternatives)


class Recognizer(Protocol):
    """Hears 16 kHz mono float32 audio in `language`. Blocking: run it in a worker thread."""

    languages: tuple[str, ...]

    def recognize(self, audio: Samples, language: str, hotwords: str | None = None) -> Recognition:
        """`hotwords`: words to listen for (the home's names, `home_words`), or None."""
        ...

    def speech_end(self, audio: Samples) -> float | None:
        """Where speech in `audio` ends (seconds), None if there is none."""
        ...


class WhisperRecognizer:
    """A CTranslate2 Whisper model loaded once; safe to call from one thread at a time per model."""

    languages: tuple[str, ...] = ("ko", "en")

    def __init__(
        self,
        model_dir: Path,
        *,
        beam_size: int = 5,
        cpu_threads: int = 0,
        noise_suppression: int = NOISE_SUPPRESSION,
        window_s: float = WINDOW_S,
        hotword_beam: int = HOTWORD_BEAM,
    ) -> None:
        from faster_whisper import WhisperModel

        self.beam_size = beam_size
        self.hotword_beam = hotword_beam
        self.window_s = window_s
        self.noise_suppression = noise_suppression
        self.model_dir = model_dir
        self._model = WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads or (os.cpu_count() or 1)
        )
        self._decode(np.zeros(RATE // 2, np.float32), "en", None, [])  # the first decode is slow: not a person's
        release_freed_memory()

    def speech_end(self, audio: Samples) -> float | None:
        stamps = _speech_stamps(audio)
        return stamps[-1]["end"] / RATE if stamps else None

    def recognize(self, audio: Samples, language: str, hotwords: str | None = None) -> Recognition:
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
        stages: list[float] = []
        try:
            alternatives = self._decode(clip, language, hotwords, stages)
        finally:
            release_freed_memory()
        return Recognition(alternatives, vad_ms, sum(stages), denoise_ms, tuple(stages))

    def _decode(
        self, clip: Samples, language: str, hotwords: str | None, stages: list[float]
    ) -> tuple[Hypothesis, ...]:
        """The beam's hypotheses as the audio alone gives them, then (when `hotwords` are given) those heard
        with the home's words in mind, from the same encoding. The likeliest stays the audio's own: heard
        with a prompt, Whisper base echoes its form ("close the curtain" as "closet, living room, curtain,").
        Each part's time (ms) is appended to `stages`."""
        from faster_whisper.tokenizer import Tokenizer

        model = self._model
        started = time.perf_counter()
        encoded = model.encode(self._features(clip))
        stages.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
        found: dict[str, Hypothesis] = {}
        for words in (None, hotwords) if hotwords else (None,):
            for text, score in self._beam(encoded, tokenizer, words, self.hotword_beam if words else self.beam_size):
                same = "".join(c for c in text.lower() if c.isalnum())  # differing only in case or punctuation
                if same and same not in found:
                    found[same] = Hypothesis(text, score)
            stages.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
        return tuple(found.values())

    def _features(self, clip: Samples) -> Any:
        """The log-mel features the encoder reads: `clip` padded to `window_s` (never shorter than the clip,
        never longer than Whisper's 30 s)."""
        from faster_whisper.audio import pad_or_trim

        frames = int(min(FULL_WINDOW_S, max(self.window_s, len(clip) / RATE + 0.5)) * 100) // 2 * 2
        return pad_or_trim(self._model.feature_extractor(clip)[..., :-1], frames)

    def _beam(self, encoded: Any, tokenizer: Any, hotwords: str | None, beam: int) -> list[tuple[str, float]]:
        from faster_whisper.transcribe import get_suppressed_tokens

        prompt = self._model.get_prompt(tokenizer, [], without_timestamps=True, hotwords=hotwords)
        result: Any = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=beam,
            num_hypotheses=beam,
            return_scores=True,
            max_length=len(prompt) + MAX_ANSWER_TOKENS,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        )[0]
        return [
            (tokenizer.decode(t).strip(), float(x)) for t, x in zip(result.sequences_ids, result.scores, strict=True)
        ]


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    return trim


def release_freed_memory() -> None:
    """Give the C heap's freed pages back to the system (glibc's `malloc_trim`; elsewhere nothing).

    A decode allocates and frees tens of megabytes (the encoder's attention over its window); glibc keeps
    what was freed, so a serving process grew by some 80 MB over a few decodes without this."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _speech_stamps(audio: Samples) -> list[dict[str, int]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0 or not np.any(audio):
        return []
    options = VadOptions(min_silence_duration_ms=300, speech_pad_ms=0, min_speech_duration_ms=150)
    stamps: list[dict[str, int]] = get_speech_timestamps(audio, options)
    return stamps
