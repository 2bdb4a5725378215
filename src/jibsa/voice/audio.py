"""Audio in and out: WAV files of any rate and channel count become 16 kHz mono float32 (what the
recogniser hears); speech becomes 16-bit PCM WAV. Resampling is PyAV's (FFmpeg's swresample)."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt

from jibsa.voice.errors import VoiceError

RATE = 16_000
MAX_UTTERANCE_S = 30.0  # one Whisper window; a spoken command is far shorter
Samples = npt.NDArray[np.float32]
_EXTENSIBLE = (0xFFFE).to_bytes(2, "little")
_PCM = (1).to_bytes(2, "little")
_INT_SCALE = {1: 128.0, 2: 32768.0, 3: 8388608.0, 4: 2147483648.0}


@dataclass(frozen=True)
class Speech:
    """Synthesised speech: 16-bit little-endian mono PCM at `rate`."""

    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate

    def to_wav(self) -> bytes:
        return wav_bytes(self.pcm, self.rate)


def read_wav(data: bytes, max_seconds: float = MAX_UTTERANCE_S) -> Samples:
    """A WAV file's audio as 16 kHz mono float32 in [-1, 1]. Refuses what is not PCM WAV and what
    is longer than `max_seconds` (judged from the header, before anything is decoded)."""
    try:
        with wave.open(io.BytesIO(_plain_pcm_header(data))) as wav:
            channels, width, rate, frames = wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()
            if width not in _INT_SCALE or channels < 1 or rate < 1000:
                raise VoiceError("not_audio")
            if frames / rate > max_seconds:
                raise VoiceError("too_long", limit=round(max_seconds), seconds=round(frames / rate))
            raw = wav.readframes(frames)
    except (wave.Error, EOFError, ValueError) as exc:
        raise VoiceError("not_audio") from exc
    return to_mono_16k(_as_float(raw, width), channels, rate)


def pcm16_samples(pcm: bytes) -> Samples:
    """16-bit little-endian mono PCM (the dashboard's and Wyoming's chunks) as float32."""
    usable = len(pcm) - len(pcm) % 2
    return np.frombuffer(pcm[:usable], dtype="<i2").astype(np.float32) / 32768.0


def to_mono_16k(samples: Samples, channels: int, rate: int) -> Samples:
    """Interleaved `samples` of `channels` at `rate` as 16 kHz mono (channels averaged)."""
    usable = len(samples) - len(samples) % channels
    mono: Samples = samples[:usable].reshape(-1, channels).mean(axis=1).astype(np.float32)
    if rate == RATE or len(mono) == 0:
        return mono
    frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    parts = [f.to_ndarray().reshape(-1) for f in (*resampler.resample(frame), *resampler.resample(None))]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, dtype=np.float32)


def wav_bytes(pcm: bytes, rate: int, channels: int = 1) -> bytes:
    """16-bit PCM wrapped in a WAV header."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def float_to_pcm16(samples: Samples) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def _plain_pcm_header(data: bytes) -> bytes:
    """WAVE_FORMAT_EXTENSIBLE holding plain PCM (what sox and many recorders write for 24-bit or
    multichannel audio) relabelled as PCM: Python 3.11's wave module reads only the plain tag."""
    at = data.find(b"fmt ", 12, 200)
    if at < 0 or len(data) < at + 34 or data[at + 8 : at + 10] != _EXTENSIBLE or data[at + 32 : at + 34] != _PCM:
        return data
    return data[: at + 8] + _PCM + data[at + 10 :]


def _as_float(raw: bytes, width: int) -> Samples:
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / _INT_SCALE[1]
    if width == 3:  # 24-bit: three little-endian bytes, sign-extended
        bytes3 = np.frombuffer(raw[: len(raw) - len(raw) % 3], dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = bytes3[:, 0] | bytes3[:, 1] << 8 | bytes3[:, 2] << 16
        return (np.where(ints >= 1 << 23, ints - (1 << 24), ints) / _INT_SCALE[3]).astype(np.float32)
    dtype = "<i2" if width == 2 else "<i4"
    return (np.frombuffer(raw, dtype=dtype).astype(np.float32) / _INT_SCALE[width]).astype(np.float32)
