"""Audio in any WAV shape becomes 16 kHz mono; what is not audio, or too long, is refused clearly;
the model is joined from its two PyPI parts with a checksum, and a corrupt join is refused."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from jibsa.voice import model
from jibsa.voice.audio import RATE, float_to_pcm16, read_wav, wav_bytes
from jibsa.voice.errors import VoiceError


def tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.mark.parametrize(("rate", "channels"), [(8_000, 1), (16_000, 1), (44_100, 2), (48_000, 2)])
def test_any_rate_and_channel_count_becomes_16_khz_mono(rate: int, channels: int) -> None:
    samples = np.repeat(tone(1.5, rate), channels)
    heard = read_wav(wav_bytes(float_to_pcm16(samples), rate, channels))
    assert abs(len(heard) - 1.5 * RATE) < 0.01 * RATE
    assert 0.3 < float(np.abs(heard).max()) <= 1.0  # the tone survives, at its level


def test_8_bit_and_24_bit_wav(espeak) -> None:  # type: ignore[no-untyped-def]
    eight = read_wav(espeak("hello", output=("-b", "8")).read_bytes())
    twenty_four = read_wav(espeak("hello", name="b24.wav", output=("-b", "24")).read_bytes())
    assert abs(len(eight) - len(twenty_four)) < RATE * 0.01
    assert float(np.abs(eight).max()) > 0.1 and float(np.abs(twenty_four).max()) > 0.1


@pytest.mark.parametrize("data", [b"", b"not audio at all", b"RIFF\x00\x00\x00\x00WAVEjunk", bytes(range(256)) * 40])
def test_what_is_not_audio_is_refused_in_both_languages(data: bytes) -> None:
    with pytest.raises(VoiceError) as caught:
        read_wav(data)
    assert caught.value.code == "not_audio"
    assert "WAV" in caught.value.message_ko and "WAV" in caught.value.message_en


def test_a_30_minute_file_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(8_000)
        wav.writeframes(bytes([128]) * 8_000 * 60 * 30)
    with pytest.raises(VoiceError) as caught:
        read_wav(path.read_bytes())
    assert caught.value.code == "too_long"
    assert "1800" in caught.value.message_ko and "1800" in caught.value.message_en


def test_the_default_model_is_joined_once_and_checked(tmp_path: Path) -> None:
    folder = model.install_default_model(tmp_path / "whisper-base")
    joined = folder / "model.bin"
    assert joined.stat().st_size == model.DEFAULT_MODEL_SIZE
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    first = joined.stat().st_mtime_ns
    assert model.install_default_model(folder) == folder and joined.stat().st_mtime_ns == first  # not joined again
    with joined.open("r+b") as damaged:
        damaged.truncate(1000)
    model.install_default_model(folder)  # a damaged join is joined again
    assert joined.stat().st_size == model.DEFAULT_MODEL_SIZE


def test_corrupt_parts_are_refused_and_leave_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = []
    for index in (1, 2):
        part = tmp_path / f"part{index}"
        part.mkdir()
        (part / f"model.bin.part{index}").write_bytes(b"not the model" * index)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (part / name).write_text("{}")
        parts.append(part)
    monkeypatch.setattr(model, "_part_dir", lambda name: parts[0] if name.endswith("1") else parts[1])
    target = tmp_path / "joined"
    with pytest.raises(VoiceError) as caught:
        model.install_default_model(target)
    assert caught.value.code == "model_corrupt" and "손상" in caught.value.message_ko
    assert not (target / "model.bin").exists() and not list(target.glob("*.partial"))


def test_a_configured_model_folder_must_hold_a_model(tmp_path: Path) -> None:
    with pytest.raises(VoiceError) as caught:
        model.model_folder(tmp_path, str(tmp_path / "nowhere"))
    assert caught.value.code == "model_missing" and "nowhere" in caught.value.message_en
