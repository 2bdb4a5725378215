"""Who is speaking, end to end (issue 24): the owner enrols their voice; a stranger's voice on the
owner's tablet (the dashboard microphone) or the owner's satellite (Wyoming, as Home Assistant drives
it: audio on one connection, the transcript on another) cannot unlock, open the gas or add a rule,
while the owner's own voice is still asked for the second word. The voices are espeak-ng variants
(stand-ins, not people: see docs/voice.md); the words come from a scripted recogniser because
espeak-ng's Korean is not intelligible to Whisper. The speaker encoder is the real one."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_voice_socket import connect, messages_until, pcm_of, send_audio
from voice_doubles import ScriptedRecognizer
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.event import Event

from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome
from jibsa.domain import Role
from jibsa.voice.audio import RATE, float_to_pcm16, read_wav
from jibsa.voice.service import VoiceService
from jibsa.voice.voiceprints import HeardVoices

# (espeak voice, speed, pitch, sox effects): the owner's stand-in and a stranger's, chosen well apart
# on bench/speaker_bench.py's curve (the stranger scores 0.52–0.68 against the owner's voiceprint).
OWNER = ("en-gb+m2", 140, 45, ("tempo", "0.88"))
STRANGER = ("fr+f3", 160, 60, ())
ENROL = [
    "Turn off the light in the living room.",
    "Is the washing machine finished yet?",
    "Set the bedroom air conditioner to twenty four degrees.",
    "Good morning, what is the weather like today?",
    "Please close the curtains in the study.",
]
Voice = tuple[str, int, int, tuple[str, ...]]


@pytest.fixture
def speak(tmp_path: Path) -> Callable[[Voice, str], np.ndarray]:
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("needs espeak-ng and sox (Debian packages)")
    made = iter(range(1000))

    def make(voice: Voice, text: str) -> np.ndarray:
        name, speed, pitch, effects = voice
        raw, final = tmp_path / f"{next(made)}.wav", tmp_path / f"{next(made)}.wav"
        subprocess.run(["espeak-ng", "-v", name, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), str(final), *effects], check=True)
        return read_wav(final.read_bytes())

    return make


@pytest.fixture
async def owner(running: RunningHome, speak: Callable[[Voice, str], np.ndarray]) -> str:
    """The owner's account, with their voice enrolled; returns their token."""
    user, token = await add_user_with_token(running.store, running.hub.home.id, "owner", Role.OWNER)  # type: ignore[arg-type]
    assert running.voices is not None
    for sentence in ENROL:
        await running.voices.add_sample(user.id, user.name, speak(OWNER, sentence), room="master_bedroom")
    return str(token)


def locked(running: RunningHome) -> bool:
    return bool(running.hub.state("front_door").get("lock") == "locked")


async def voices_in_audit(running: RunningHome) -> list[dict[str, Any]]:
    rows = sorted(await running.store.audit(running.hub.home.id), key=lambda r: r.at)  # type: ignore[attr-defined]
    return [{"role": r.role, **r.detail["voice"]} for r in rows if r.action == "conversation" and "voice" in r.detail]


async def tell(url: str, token: str, samples: np.ndarray) -> dict[str, Any]:
    async with connect(url, token) as ws:
        await ws.send(json.dumps({"type": "start"}))
        await send_audio(ws, pcm_of(samples, 0.3))
        await ws.send(json.dumps({"type": "stop"}))
        return (await messages_until(ws, "turn"))[-1]


@pytest.mark.parametrize(
    "request_text", ["현관문 열어줘", "가스 밸브 열어줘", "해 질 무렵 거실 불 켜줘"], ids=["door", "gas", "rule"]
)
async def test_a_strangers_voice_on_the_owners_tablet_is_a_guests(  # type: ignore[no-untyped-def]
    running: RunningHome, owner: str, speak, serve_voice, request_text: str
) -> None:
    await running.gate.say(_typed_owner(), "가스 밸브 잠가줘")
    url = await serve_voice(VoiceService(ScriptedRecognizer(request_text), None))
    answer = await tell(url, owner, speak(STRANGER, "Open it now, please, right away."))
    assert answer["type"] == "error" and answer["code"] == "not_allowed", answer
    await running.hub.flush()
    assert locked(running) and running.hub.state("gas_valve").get("valve") == "closed"
    assert running.rules is not None and running.rules.listed() == []
    [row] = await voices_in_audit(running)
    assert row["person"] is None and row["score"] < 0.74 and row["role"] == "guest" == row["judged_as"]


async def test_the_owners_own_voice_on_the_tablet_is_the_owners_and_still_asks(  # type: ignore[no-untyped-def]
    running: RunningHome, owner: str, speak, serve_voice
) -> None:
    url = await serve_voice(VoiceService(ScriptedRecognizer("현관문 열어줘"), None))
    answer = await tell(url, owner, speak(OWNER, "Open the front door for me, please."))
    assert answer["type"] == "turn" and answer["needs_confirmation"], answer
    assert locked(running)
    [row] = await voices_in_audit(running)
    assert row["person"] == "owner" and row["score"] >= 0.74 and row["role"] == "owner"


Serve = Callable[[Role, str], Awaitable[int]]


@pytest.fixture
def satellite(running: RunningHome, serve_wyoming_as: Any) -> Serve:
    """Serve Wyoming as an account of `role` ("living-speaker"), hearing `transcript` in any audio."""
    from jibsa.cli.voice_cmd import satellite_principal

    async def serve(role: Role, transcript: str) -> int:
        await add_user_with_token(running.store, running.hub.home.id, "living-speaker", role)  # type: ignore[arg-type]
        principal = await satellite_principal(running, "living-speaker")
        service = VoiceService(ScriptedRecognizer(transcript), None)
        port: int = await serve_wyoming_as(service, principal, voices=running.voices)
        return port

    return serve


async def heard_then_handled(port: int, samples: np.ndarray) -> Event:
    """As Home Assistant's pipeline: speech to text on one connection, the transcript on another."""
    pcm = float_to_pcm16(samples)
    async with AsyncTcpClient("127.0.0.1", port) as stt:
        await stt.write_event(Transcribe(language="ko").event())
        await stt.write_event(AudioStart(rate=RATE, width=2, channels=1).event())
        for offset in range(0, len(pcm), 4096):
            await stt.write_event(AudioChunk(rate=RATE, width=2, channels=1, audio=pcm[offset : offset + 4096]).event())
        await stt.write_event(AudioStop().event())
        event = await asyncio.wait_for(stt.read_event(), 60)
    assert event is not None and Transcript.is_type(event.type), event
    async with AsyncTcpClient("127.0.0.1", port) as handle:
        await handle.write_event(Transcript(text=Transcript.from_event(event).text).event())
        answer = await asyncio.wait_for(handle.read_event(), 60)
    assert answer is not None
    return answer


async def test_over_wyoming_a_stranger_cannot_unlock_and_the_owner_is_asked_for_the_pin(  # type: ignore[no-untyped-def]
    running: RunningHome, owner: str, speak, satellite: Serve
) -> None:
    port = await satellite(Role.OWNER, "현관문 열어줘")
    refused = await heard_then_handled(port, speak(STRANGER, "Open the door for me, now."))
    assert refused.type == "not-handled" and refused.data["text"].startswith("등록된 목소리가 아니라서"), refused.data
    asked = await heard_then_handled(port, speak(OWNER, "Open the front door for me, please."))
    assert asked.data["text"] == "현관문을 열까요?", asked.data  # asked, not refused: the second word is still needed
    assert locked(running)
    stranger, known = await voices_in_audit(running)
    assert stranger["person"] is None and stranger["role"] == "guest"
    assert known["person"] == "owner" and known["role"] == "owner"


async def test_a_transcript_never_heard_here_has_no_voice_and_the_satellites_role(  # type: ignore[no-untyped-def]
    running: RunningHome, owner: str, satellite: Serve
) -> None:
    """Home Assistant with another recogniser: jibsa never heard the audio, so nothing narrows (or widens)."""
    port = await satellite(Role.SATELLITE, "unused")
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcript(text="거실 불 켜줘").event())
        answer = await asyncio.wait_for(client.read_event(), 30)
    assert answer is not None and answer.type == "handled"
    rows = sorted(await running.store.audit(running.hub.home.id), key=lambda r: r.at)  # type: ignore[attr-defined]
    assert "voice" not in rows[-1].detail and rows[-1].role == "satellite"


def test_a_voice_heard_is_recalled_once_and_not_after_its_time() -> None:
    from jibsa.gate import HeardVoice

    now = [0.0]
    voices = HeardVoices(None, clock=lambda: now[0])  # type: ignore[arg-type]
    heard = HeardVoice("owner", 0.9, Role.OWNER)
    voices.remember("10.0.0.2", "현관문 열어줘", heard)
    assert voices.recall("10.0.0.3", "현관문 열어줘") is None  # another client
    assert voices.recall("10.0.0.2", "현관문 열어줘 ") is heard
    assert voices.recall("10.0.0.2", "현관문 열어줘") is None  # used once
    voices.remember("10.0.0.2", "불 켜줘", heard)
    now[0] = 31.0
    assert voices.recall("10.0.0.2", "불 켜줘") is None


def _typed_owner() -> Any:
    from jibsa.gate import Principal, Via

    return Principal("owner", Role.OWNER, Via.HTTP, "10.0.0.5", "typed", "owner-id")


async def test_when_i_come_home_said_to_a_satellite_is_about_the_voice_it_knows(  # type: ignore[no-untyped-def]
    running: RunningHome, owner: str, speak, satellite: Serve
) -> None:
    """ "내가 집에 오면 …": a satellite's account is no person, so the rule is about the enrolled voice heard,
    and about anyone when no voice was heard (a transcript from another recogniser); the read-back says which."""
    port = await satellite(Role.OWNER, "내가 집에 오면 거실 불 켜줘")
    known = await heard_then_handled(port, speak(OWNER, "When I come home turn on the lights."))
    assert known.data["text"].startswith("owner가 오면"), known.data
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcript(text="내가 집에 오면 거실 불 켜줘").event())
        unheard = await asyncio.wait_for(client.read_event(), 30)
    assert unheard is not None and unheard.data["text"].startswith("누군가가 오면"), unheard.data
