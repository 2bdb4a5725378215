"""jibsa's Wyoming service driven the way Home Assistant's wyoming integration drives it
(homeassistant/components/wyoming: stt.py, tts.py, conversation.py), event for event: `describe` at setup;
for speech to text `transcribe(language)`, `audio-start` 16 kHz/16-bit/mono, the chunks, `audio-stop`, then
reading until a `transcript` comes; for speech `synthesize` with only the voice's name; for the conversation
a `transcript` with a context, reading until `handled`/`not-handled`/`error`. The audio arrives framed as a
satellite sends it (1024-sample chunks with timestamps) or as the assist pipeline passes it on (10 ms chunks)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.tts import Synthesize, SynthesizeVoice

from jibsa.app import RunningHome
from jibsa.voice.audio import RATE, pcm16_samples, read_wav
from jibsa.voice.stt import WhisperRecognizer
from jibsa.voice.tts import EspeakSynthesizer
from jibsa.voice.wyoming_server import MAX_EVENT_BYTES

PIPELINE_CHUNK = 320  # bytes: the assist pipeline hands the STT 10 ms at a time
SATELLITE_CHUNK = 2048  # bytes: a wyoming satellite's 1024 samples


async def read_until(client: AsyncTcpClient, *types: str) -> list[Event]:
    """Read as Home Assistant does: until one of `types`, or the connection ends (None last)."""
    seen: list[Event] = []
    while True:
        event = await asyncio.wait_for(client.read_event(), 60)
        if event is None:
            return seen
        seen.append(event)
        if event.type in types:
            return seen


async def ha_stt(
    port: int,
    pcm: bytes,
    language: str,
    chunk_bytes: int,
    *,
    timestamps: bool = False,
    rate: int = RATE,
    width: int = 2,
    channels: int = 1,
) -> tuple[list[Event], bool]:
    """Home Assistant's `async_process_audio_stream`; returns what came back and whether the server then
    closed the connection."""
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(language=language).event())
        await client.write_event(AudioStart(rate=rate, width=width, channels=channels).event())
        for index, offset in enumerate(range(0, len(pcm), chunk_bytes)):
            timestamp = index * chunk_bytes * 1000 // (2 * RATE) if timestamps else None
            chunk = AudioChunk(
                rate=rate, width=width, channels=channels, audio=pcm[offset : offset + chunk_bytes], timestamp=timestamp
            )
            await client.write_event(chunk.event())
        await client.write_event(AudioStop().event())
        seen = await read_until(client, "transcript")
        closed = await asyncio.wait_for(client.read_event(), 10) is None
        return seen, closed


def pcm_of(path: Path) -> bytes:
    import wave

    with wave.open(str(path)) as reader:
        assert (reader.getframerate(), reader.getsampwidth(), reader.getnchannels()) == (RATE, 2, 1)
        return reader.readframes(reader.getnframes())


async def test_setup_reads_what_jibsa_offers(wyoming_port: int) -> None:
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:
        await client.write_event(Describe().event())
        [info_event] = await read_until(client, "info")
    info = Info.from_event(info_event)
    assert info.asr[0].installed and set(info.asr[0].models[0].languages) >= {"ko", "en"}
    assert {v.name for v in info.tts[0].voices} >= {"espeak-ng-ko", "espeak-ng-en"}
    assert info.handle[0].supports_home_control


@pytest.mark.parametrize(
    ("framing", "chunk_bytes", "timestamps"),
    [("assist pipeline, 10 ms", PIPELINE_CHUNK, False), ("satellite, 1024 samples", SATELLITE_CHUNK, True)],
)
async def test_speech_to_text_as_home_assistant_asks(
    wyoming_port: int, espeak: Any, framing: str, chunk_bytes: int, timestamps: bool
) -> None:
    pcm = pcm_of(espeak("turn off the kitchen light", output=("-r", str(RATE))))
    seen, closed = await ha_stt(wyoming_port, pcm, "en", chunk_bytes, timestamps=timestamps)
    transcript = Transcript.from_event(seen[-1])
    assert "kitchen light" in transcript.text.lower(), framing
    assert closed  # one utterance per connection, as Home Assistant's client expects


@pytest.mark.parametrize(("audio_seconds", "code"), [(2.0, "no_speech"), (31.0, "too_long")])
async def test_silence_or_too_much_audio_ends_in_an_empty_transcript(
    wyoming_port: int, audio_seconds: float, code: str
) -> None:
    pcm = b"\0\0" * int(audio_seconds * RATE)
    seen, closed = await ha_stt(wyoming_port, pcm, "ko", SATELLITE_CHUNK)
    assert [e.type for e in seen] == ["error", "transcript"]
    assert Error.from_event(seen[0]).code == code and Transcript.from_event(seen[1]).text == ""
    assert closed


async def test_text_to_speech_with_only_a_voice_name_reads_english_in_english(
    wyoming_port: int, whisper: WhisperRecognizer
) -> None:
    request = Synthesize(text="It's 3:30 and 23 degrees.", voice=SynthesizeVoice(name="espeak-ng-en"))
    assert request.event().data["voice"] == {"name": "espeak-ng-en"}  # what reaches jibsa: no language
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:
        await client.write_event(request.event())
        events = await read_until(client, "audio-stop")
    chunks = [AudioChunk.from_event(e) for e in events if AudioChunk.is_type(e.type)]
    assert events[0].type == "audio-start" and chunks and events[-1].type == "audio-stop"
    pcm = b"".join(c.audio for c in chunks)
    heard = whisper.recognize(pcm16_samples(pcm), "en")
    assert "degrees" in heard.text.lower()  # read with English rules: Whisper understands it


async def test_the_conversation_agent_as_home_assistant_calls_it(wyoming_port: int, running: RunningHome) -> None:
    await running.conversation.handle("주방 불 켜줘")
    context = {"conversation_id": "01JF3Z8Q6R0000000000000000", "satellite_id": "assist_satellite.kitchen"}
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:
        await client.write_event(Transcript("주방 불 꺼줘", context=context, language="ko").event())
        [answer] = await read_until(client, "handled", "not-handled", "error")
    assert Handled.is_type(answer.type) and "주방 조명" in (Handled.from_event(answer).text or "")
    assert running.hub.state("kitchen_light")["power"] is False
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:
        await client.write_event(Transcript("고마워요 오늘 하루", context=context, language="ko").event())
        [other] = await read_until(client, "handled", "not-handled", "error")
    assert NotHandled.is_type(other.type) and NotHandled.from_event(other).text


@pytest.mark.parametrize(("rate", "width", "channels"), [(1, 2, 1), (16_000, 9, 1), (16_000, 2, 6), (200_000, 2, 1)])
async def test_an_audio_format_outside_the_bounds_is_refused_clearly(
    wyoming_port: int, rate: int, width: int, channels: int
) -> None:
    pcm = b"\1\0" * 2048  # 4 KB: at rate=1 this was resampled 16,000 times over
    seen, closed = await ha_stt(wyoming_port, pcm, "ko", len(pcm), rate=rate, width=width, channels=channels)
    assert [e.type for e in seen] == ["error", "transcript"] and closed
    assert Error.from_event(seen[0]).code == "bad_audio_format" and str(rate) in Error.from_event(seen[0]).text


async def test_a_chunk_that_changes_format_midway_is_refused(wyoming_port: int) -> None:
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:
        await client.write_event(Transcribe(language="ko").event())
        await client.write_event(AudioStart(rate=RATE, width=2, channels=1).event())
        await client.write_event(AudioChunk(rate=RATE, width=2, channels=1, audio=b"\1\0" * 2048).event())
        await client.write_event(AudioChunk(rate=1, width=2, channels=1, audio=b"\1\0" * 2048).event())
        [error] = await read_until(client, "error")  # told at once
        await client.write_event(AudioChunk(rate=RATE, width=2, channels=1, audio=b"\1\0" * 2048).event())
        await client.write_event(AudioStop().event())
        [transcript] = await read_until(client, "transcript")
    assert Error.from_event(error).code == "bad_audio_format" and Transcript.from_event(transcript).text == ""


async def test_an_oversized_event_closes_that_connection_and_the_server_goes_on(wyoming_port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", wyoming_port)
    header = b'{"type": "audio-chunk", "data": {"rate": 16000, "width": 2, "channels": 1}, "payload_length": %d}\n'
    writer.write(header % (MAX_EVENT_BYTES * 64))
    writer.write(b"\0" * 65536)
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), 10) == b""  # closed without reading the 64 MiB it announced
    writer.close()
    async with AsyncTcpClient("127.0.0.1", wyoming_port) as client:  # and the next one is served
        await client.write_event(Describe().event())
        assert (await read_until(client, "info"))[-1].type == "info"


def test_the_synthesised_english_is_not_read_with_korean_rules() -> None:
    # Without the voice's language, jibsa once read English with Korean rules ("이십삼:영" and the like).
    speech = EspeakSynthesizer().synthesize("It's 3:30 and 23 degrees.", "en")
    assert len(read_wav(speech.to_wav(), max_seconds=60)) > RATE // 2
