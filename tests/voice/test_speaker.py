"""Who is speaking: the shipped ONNX encoder and jibsa's numpy preprocessing against the reference
embeddings resemblyzer itself recorded (scripts/convert_speaker_encoder.py), and the voice book
telling an enrolled espeak-ng voice from another."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from jibsa.voice.audio import read_wav
from jibsa.voice.speaker import DEFAULT_THRESHOLD, EMBEDDING_SIZE, SpeakerBook, SpeakerModelError, embed
from jibsa.voice.speaker.encoder import checked_session, embed_partials
from jibsa.voice.speaker.mel import PARTIAL_FRAMES, mel_spectrogram, raise_volume

REFERENCE = Path(__file__).parent / "data" / "speaker_reference.npz"


def reference_utterances() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    data = np.load(REFERENCE)
    ends = np.cumsum(data["lengths"])
    return [
        (str(voice), data["samples"][end - length : end].astype(np.float32) / 32768.0, mels, embedding)
        for voice, length, end, mels, embedding in zip(
            data["voices"], data["lengths"], ends, data["first_mels"], data["embeddings"], strict=True
        )
    ]


@pytest.mark.parametrize("utterance", reference_utterances(), ids=lambda u: u[0])
def test_embedding_matches_resemblyzer(utterance: tuple[str, np.ndarray, np.ndarray, np.ndarray]) -> None:
    _, samples, _, expected = utterance
    got = embed(samples)
    assert got.shape == (EMBEDDING_SIZE,)
    assert abs(float(np.linalg.norm(got)) - 1.0) < 1e-5
    assert float(np.dot(got, expected)) >= 0.999


@pytest.mark.parametrize("utterance", reference_utterances(), ids=lambda u: u[0])
def test_mel_frames_match_resemblyzer(utterance: tuple[str, np.ndarray, np.ndarray, np.ndarray]) -> None:
    _, samples, expected, _ = utterance
    got = mel_spectrogram(raise_volume(samples))[:PARTIAL_FRAMES]
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-5 * float(expected.max()))


def test_onnx_model_on_resemblyzers_own_mel_frames() -> None:
    """The model alone, fed resemblyzer's mel frames, gives what torch gave for them."""
    data = np.load(REFERENCE)
    for mels, expected in zip(data["first_mels"], data["first_partial_embeddings"], strict=True):
        assert float(np.dot(embed_partials(mels[None]), expected)) >= 0.999


def test_shipped_model_matches_its_checksum() -> None:
    folder = resources.files("jibsa.voice.speaker")
    digest = hashlib.sha256(folder.joinpath("ge2e.onnx").read_bytes()).hexdigest()
    assert folder.joinpath("ge2e.onnx.sha256").read_text(encoding="ascii").split()[0] == digest
    assert "Apache License" in folder.joinpath("LICENCE").read_text(encoding="utf-8")


def test_a_changed_model_is_refused() -> None:
    folder = resources.files("jibsa.voice.speaker")
    model = bytearray(folder.joinpath("ge2e.onnx").read_bytes())
    checksum = folder.joinpath("ge2e.onnx.sha256").read_text(encoding="ascii")
    assert checked_session(bytes(model), checksum) is not None
    model[-1] ^= 1
    with pytest.raises(SpeakerModelError, match=r"ge2e\.onnx: checksum differs"):
        checked_session(bytes(model), checksum)
    with pytest.raises(SpeakerModelError):
        checked_session(bytes(model), "")


def test_too_short_audio_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match=r"at least 0\.3 s"):
        embed(np.zeros(1000, dtype=np.float32))


ENROL = [
    "Turn off the light in the living room.",
    "Is the washing machine finished yet?",
    "Set the bedroom air conditioner to twenty four degrees.",
]
TEST = "Lock the front door and turn on the porch light."


def test_the_enrolled_voice_is_matched_and_another_is_not(espeak: Callable[..., Path]) -> None:
    def said(text: str, voice: str, name: str) -> np.ndarray:
        return embed(read_wav(espeak(text, voice=voice, name=name).read_bytes()))

    book = SpeakerBook().enrolled("민지", [said(t, "en+f2", f"e{i}.wav") for i, t in enumerate(ENROL)])
    book = book.enrolled("준호", [said(t, "en+m3", f"m{i}.wav") for i, t in enumerate(ENROL)])
    same = book.match(said(TEST, "en+f2", "same.wav"))
    assert same.person == "민지"
    assert same.similarity >= DEFAULT_THRESHOLD
    stranger = book.without("민지").match(said(TEST, "en+f2", "stranger.wav"))
    assert stranger.person is None
    assert stranger.closest == "준호"


def test_an_empty_book_knows_nobody() -> None:
    match = SpeakerBook().match(np.ones(EMBEDDING_SIZE, dtype=np.float32))
    assert (match.person, match.closest) == (None, None)


def test_a_threshold_that_is_not_a_cosine_is_refused() -> None:
    with pytest.raises(ValueError, match="not a cosine"):
        SpeakerBook(threshold=1.5)
