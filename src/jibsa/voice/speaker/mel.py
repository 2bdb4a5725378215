"""The encoder's input, computed as resemblyzer computes it (audio.py and voice_encoder.py of
Resemblyzer 0.1.4, with librosa's melspectrogram): volume raised to -30 dBFS, a power mel
spectrogram (not log) of 40 Slaney mel bands from a 25 ms periodic Hann window every 10 ms, centred
with zero padding, cut into 160-frame partial utterances 77 frames apart (1.3 a second). Its webrtcvad
silence trimming is left out."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

RATE = 16_000
WINDOW = 400  # 25 ms
HOP = 160  # 10 ms
BANDS = 40
PARTIAL_FRAMES = 160  # 1.6 s
PARTIALS_PER_SECOND = 1.3
MIN_COVERAGE = 0.75
TARGET_DBFS = -30.0
_INT16_MAX = 2**15 - 1

Floats = npt.NDArray[np.float32]


def raise_volume(samples: Floats) -> Floats:
    """Louder to -30 dBFS if quieter than that; never softer (resemblyzer's normalize_volume)."""
    rms = float(np.sqrt(np.mean((samples.astype(np.float64) * _INT16_MAX) ** 2)))
    if rms == 0.0:
        return samples
    change = TARGET_DBFS - 20 * np.log10(rms / _INT16_MAX)
    return samples if change < 0 else (samples * 10 ** (change / 20)).astype(np.float32)


def mel_spectrogram(samples: Floats) -> Floats:
    """Frames × 40 power mel spectrogram, one frame per 10 ms (plus one)."""
    padded = np.pad(samples.astype(np.float32), WINDOW // 2)
    count = 1 + (len(padded) - WINDOW) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::HOP][:count]
    power = np.abs(np.fft.rfft(frames * _hann(), axis=1)) ** 2
    # einsum, not matmul: a product this small pays more for waking BLAS's threads on a busy machine
    # (28 ms against 0.6 ms at load average 9) than for the arithmetic.
    mel: Floats = np.einsum("fb,bm->fm", power.astype(np.float32), _mel_filters_by_bin())
    return mel


def partials(samples: Floats) -> Floats:
    """The utterance as partials × 160 × 40 mel frames, padded with silence as resemblyzer pads it."""
    starts = _partial_starts(len(samples))
    needed = (starts[-1] + PARTIAL_FRAMES) * HOP
    if needed >= len(samples):
        samples = np.pad(samples, (0, needed - len(samples)))
    mel = mel_spectrogram(samples)
    return np.stack([mel[start : start + PARTIAL_FRAMES] for start in starts])


def _partial_starts(sample_count: int) -> list[int]:
    frame_count = int(np.ceil((sample_count + 1) / HOP))
    step = int(np.round((RATE / PARTIALS_PER_SECOND) / HOP))
    starts = list(range(0, max(1, frame_count - PARTIAL_FRAMES + step + 1), step))
    coverage = (sample_count - starts[-1] * HOP) / (PARTIAL_FRAMES * HOP)
    if coverage < MIN_COVERAGE and len(starts) > 1:
        starts.pop()
    return starts


@cache
def _hann() -> Floats:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)).astype(np.float32)


@cache
def _mel_filters_by_bin() -> Floats:
    """The filters as a float32 bins × bands matrix (float32, as librosa multiplies)."""
    return np.ascontiguousarray(_mel_filters().T, dtype=np.float32)


def _mel_filters() -> npt.NDArray[np.float64]:
    """Slaney-style triangular mel filters, area-normalised (librosa.filters.mel's defaults)."""
    bin_hz = np.linspace(0, RATE / 2, 1 + WINDOW // 2)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(RATE / 2), BANDS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - bin_hz[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    filters = np.maximum(0, np.minimum(rising, falling))
    return filters * (2.0 / (edges[2:] - edges[:-2]))[:, None]


_LINEAR_HZ_PER_MEL = 200.0 / 3
_LOG_FROM_HZ = 1000.0
_LOG_FROM_MEL = _LOG_FROM_HZ / _LINEAR_HZ_PER_MEL
_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    if hz < _LOG_FROM_HZ:
        return hz / _LINEAR_HZ_PER_MEL
    return float(_LOG_FROM_MEL + np.log(hz / _LOG_FROM_HZ) / _LOG_STEP)


def _mel_to_hz(mels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    linear = mels * _LINEAR_HZ_PER_MEL
    logarithmic = _LOG_FROM_HZ * np.exp(_LOG_STEP * (mels - _LOG_FROM_MEL))
    return np.where(mels >= _LOG_FROM_MEL, logarithmic, linear)
