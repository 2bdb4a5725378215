"""`jibsa voice serve` through the `wyoming` client library (speech to text, a spoken reply, intent
handling in Korean), and the command line: `jibsa hear`, `jibsa speak`, `jibsa say --audio`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled
from wyoming.info import Describe, Info
from wyoming.tts import Synthesize, SynthesizeVoice

from jibsa.app import RunningHome
from jibsa.cli.main import main
from jibsa.voice.audio import RATE, read_wav, wav_bytes
from jibsa.voice.stt import WhisperRecognizer


async def exchange(port: int, events: list[Event], until: str) -> list[Event]:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        for event in events:
            await client.write_event(event)
        seen: list[Event] = []
        while True:
            event = await asyncio.wait_for(client.read_event(), 60)
            assert event is not None
            seen.append(event)
            if event.type in (until, "error"):
                return seen


def audio_events(wav: Path) -> list[Event]:
    import wave

    with wave.open(str(wav)) as reader:
        rate, width, channels, pcm = (
            reader.getframerate(),
            reader.getsampwidth(),
            reader.getnchannels(),
            reader.readframes(reader.getnframes()),
        )
    chunks = [
        AudioChunk(rate=rate, width=width, channels=channels, audio=pcm[i : i + 4096]).event()
        for i in range(0, len(pcm), 4096)
    ]
    return [AudioStart(rate=rate, width=width, channels=channels).event(), *chunks, AudioStop().event()]


async def test_describe_transcribe_synthesize_and_handle(wyoming_port: int, espeak: Any, running: RunningHome) -> None:
    [info] = await exchange(wyoming_port, [Describe().event()], "info")
    offered = Info.from_event(info)
    assert "ko" in offered.asr[0].models[0].languages and offered.tts[0].voices and offered.handle

    spoken = espeak("turn off the kitchen light")
    heard = await exchange(wyoming_port, [Transcribe(language="en").event(), *audio_events(spoken)], "transcript")
    assert "kitchen light" in Transcript.from_event(heard[-1]).text.lower()

    voice = await exchange(
        wyoming_port,
        [Synthesize(text="주방 조명을 껐어요.", voice=SynthesizeVoice(language="ko")).event()],
        "audio-stop",
    )
    pcm = b"".join(AudioChunk.from_event(e).audio for e in voice if e.type == "audio-chunk")
    assert voice[0].type == "audio-start" and len(pcm) / 2 / RATE > 0.5

    await running.conversation.handle("주방 불 켜줘")
    [handled] = await exchange(wyoming_port, [Transcript(text="주방 불 꺼줘").event()], "handled")
    assert "주방 조명" in Handled.from_event(handled).text
    assert running.hub.state("kitchen_light")["power"] is False


async def test_silence_over_wyoming_gets_a_clear_error(wyoming_port: int, tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    silence.write_bytes(wav_bytes(b"\0\0" * RATE, RATE))
    seen = await exchange(wyoming_port, [Transcribe(language="ko").event(), *audio_events(silence)], "transcript")
    error = Error.from_event(seen[-1])
    assert error.code == "no_speech" and "말소리" in error.text and "speech" in error.text


def test_hear_prints_the_parse_line_for_each_file(
    espeak: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], whisper: WhisperRecognizer
) -> None:
    good = espeak("turn on the kitchen light", output=("-r", "8000"))  # telephone quality, resampled
    bad = tmp_path / "notes.wav"
    bad.write_text("not a recording")
    code = main(["hear", "--data", str(whisper_data(whisper)), "--lang", "en", str(good), str(bad)])
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert code == 1  # one file could not be heard
    assert first["file"] == str(good) and "kitchen light" in first["transcript"].lower()
    assert first["commands"] == [{"intent": "turn_on", "targets": ["kitchen_light"], "params": {}}]
    assert isinstance(first["stt_ms"], int) and first["stt_ms"] > 0
    assert second["commands"] == [] and second["error"]["code"] == "not_audio" and second["file"] == str(bad)


def test_speak_writes_16_bit_pcm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reply.wav"
    assert main(["speak", "에어컨을 23도로 맞출게요.", "-o", str(out)]) == 0
    samples = read_wav(out.read_bytes(), max_seconds=60)
    assert len(samples) > RATE and float(np.abs(samples).max()) > 0.05
    assert out.read_bytes()[34:36] == (16).to_bytes(2, "little")  # bits per sample


def test_say_audio_carries_out_a_spoken_command(
    espeak: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], whisper: WhisperRecognizer
) -> None:
    spoken = espeak("turn on the kitchen light")
    data = whisper_data(whisper)
    assert main(["say", "--data", str(data), "--audio", str(spoken)]) == 0
    printed = capsys.readouterr().out
    assert "kitchen light" in printed.lower()
    assert main(["status", "--data", str(data)]) == 0
    status = capsys.readouterr().out
    assert any("주방 조명" in line and "켜짐" in line for line in status.splitlines())


def test_say_audio_listens_in_the_language_asked_for(
    espeak: Any, capsys: pytest.CaptureFixture[str], whisper: WhisperRecognizer
) -> None:
    spoken = espeak("close the living room curtain")
    assert main(["say", "--data", str(whisper_data(whisper)), "--lang", "en", "--audio", str(spoken)]) == 0
    heard = capsys.readouterr().out.splitlines()[0]
    assert "living room curtain" in heard.lower()  # heard as English, not as Korean syllables


def whisper_data(whisper: WhisperRecognizer) -> Path:
    """The session's data directory, where the model is already joined (so the CLI does not join it again)."""
    return whisper.model_dir.parents[1]
