"""Text to speech behind one small interface. The default is espeak-ng (Debian's `espeak-ng`), with
Korean text first written as it is read aloud (`reading.read_aloud`). Another voice — a local
VITS/Piper-style model, say — plugs in by satisfying `Synthesizer`."""

from __future__ import annotations

import shutil
import subprocess
from typing import Protocol

from jibsa.voice.audio import RATE, Speech, float_to_pcm16, read_wav, wav_bytes
from jibsa.voice.errors import VoiceError
from jibsa.voice.reading import read_aloud

SYNTH_TIMEOUT_S = 20.0
MAX_TEXT = 2000  # characters: a reply is a sentence or two; this bounds the time a request can take
_ESPEAK_VOICES = {"ko": "ko", "en": "en-us"}


class Synthesizer(Protocol):
    """Turns text into speech. Blocking: the service runs it in a worker thread."""

    languages: tuple[str, ...]

    def synthesize(self, text: str, language: str) -> Speech: ...


class EspeakSynthesizer:
    """espeak-ng, run once per sentence (`--stdout` gives a WAV)."""

    languages: tuple[str, ...] = ("ko", "en")

    def __init__(self, binary: str | None = None, speed: int = 165, pitch: int = 50) -> None:
        found = binary or shutil.which("espeak-ng")
        if found is None:
            raise VoiceError("no_voice")
        self._binary = found
        self._speed = speed
        self._pitch = pitch

    def synthesize(self, text: str, language: str) -> Speech:
        spoken = read_aloud(text) if language != "en" else text
        command = [
            self._binary,
            "-v",
            _ESPEAK_VOICES.get(language, "ko"),
            "-s",
            str(self._speed),
            "-p",
            str(self._pitch),
            "--stdout",
            spoken[:MAX_TEXT],
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=SYNTH_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VoiceError("speech_failed", reason=str(exc)) from exc
        if done.returncode != 0:
            raise VoiceError("speech_failed", reason=done.stderr.decode("utf-8", "replace").strip()[:200])
        return _as_speech(done.stdout)


def _as_speech(wav: bytes) -> Speech:
    """espeak's WAV (22,050 Hz; a streaming header with no length) as 16 kHz PCM."""
    return Speech(float_to_pcm16(read_wav(_fix_stream_header(wav), max_seconds=600)), RATE)


def _fix_stream_header(wav: bytes) -> bytes:
    """espeak-ng writes 0xFFFFFFFF sizes when writing to a pipe; Python's wave module wants real ones."""
    if len(wav) < 44 or wav[:4] != b"RIFF":
        return wav
    rate = int.from_bytes(wav[24:28], "little")
    channels = int.from_bytes(wav[22:24], "little")
    data_at = wav.find(b"data", 12)
    if data_at < 0:
        return wav
    pcm = wav[data_at + 8 :]
    return wav_bytes(pcm[: len(pcm) - len(pcm) % (2 * channels)], rate, channels)
