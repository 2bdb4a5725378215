"""The GE2E speaker encoder (Resemblyzer's, converted to ONNX by scripts/convert_speaker_encoder.py)
on onnxruntime: 16 kHz speech to a 256-dimensional unit vector."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime  # type: ignore[import-untyped]

from jibsa.voice.speaker.mel import RATE, Floats, partials, raise_volume

EMBEDDING_SIZE = 256
MIN_SECONDS = 0.3  # shorter than this says nothing about the speaker
_MODEL = "ge2e.onnx"


class SpeakerModelError(RuntimeError):
    """The shipped encoder is missing or not the one converted (its checksum differs)."""


def embed(samples_16k: Floats) -> Floats:
    """The speaker embedding of one utterance (16 kHz mono float32 in [-1, 1]): 256 values, unit length."""
    if samples_16k.ndim != 1 or len(samples_16k) < MIN_SECONDS * RATE:
        raise ValueError(
            f"speaker embedding needs at least {MIN_SECONDS} s of 16 kHz mono audio, got shape {samples_16k.shape}"
        )
    mels = partials(raise_volume(samples_16k.astype(np.float32)))
    return embed_partials(mels)


def embed_partials(mels: Floats) -> Floats:
    """The unit mean of the encoder's embeddings of partials × 160 × 40 mel frames."""
    partial_embeddings: npt.NDArray[np.float32] = _session().run(None, {"mels": mels})[0]
    mean = partial_embeddings.mean(axis=0)
    unit: Floats = (mean / np.linalg.norm(mean)).astype(np.float32)
    return unit


@cache
def _session() -> Any:
    folder = resources.files(__package__)
    model = folder.joinpath(_MODEL).read_bytes()
    return checked_session(model, folder.joinpath(_MODEL + ".sha256").read_text(encoding="ascii"))


def checked_session(model: bytes, checksum_file: str) -> Any:
    """An onnxruntime session for `model` if its SHA-256 is the one `checksum_file` names."""
    expected = checksum_file.split(maxsplit=1)[0] if checksum_file.strip() else ""
    if hashlib.sha256(model).hexdigest() != expected:
        raise SpeakerModelError(f"{_MODEL}: checksum differs from {_MODEL}.sha256; reinstall jibsa")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one short utterance; two threads measured slower under load
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
