"""`WS /api/voice`: audio in as the dashboard sends it (16 kHz mono PCM frames), partial and final
transcripts, the turn carried out on the hub, the reply spoken back — and every bad stream answered."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import numpy as np
import pytest
import websockets
from voice_doubles import ScriptedRecognizer

from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome
from jibsa.domain import Role
from jibsa.voice.audio import RATE, float_to_pcm16, read_wav
from jibsa.voice.service import VoiceService
from jibsa.voice.tts import EspeakSynthesizer

FRAME = 3200  # bytes: 0.1 s, as the page sends


def pcm_of(samples: np.ndarray, silence_s: float = 0.0) -> bytes:
    return float_to_pcm16(np.concatenate([samples, np.zeros(int(silence_s * RATE), np.float32)]))


async def send_audio(ws: Any, pcm: bytes) -> None:
    for offset in range(0, len(pcm), FRAME):
        await ws.send(pcm[offset : offset + FRAME])


async def messages_until(ws: Any, kind: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while True:
        message = await asyncio.wait_for(ws.recv(), 60)
        seen.append({"type": "wav", "data": message} if isinstance(message, bytes) else json.loads(message))
        if seen[-1]["type"] == kind or seen[-1]["type"] == "error":
            return seen


def connect(url: str, token: str) -> Any:
    return websockets.connect(f"ws://{url}/api/voice?token={token}", max_size=None)


async def test_spoken_english_turns_the_light_off_and_the_reply_is_spoken(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice, whisper, espeak
) -> None:
    await running.conversation.handle("거실 불 켜줘")
    assert running.hub.state("living_ceiling")["power"] is True
    url = await serve_voice(VoiceService(whisper, EspeakSynthesizer()))
    audio = read_wav(espeak("turn off the living room light").read_bytes())
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start", "language": "en", "speak": True}))
        await send_audio(ws, pcm_of(audio, silence_s=0.3))
        await ws.send(json.dumps({"type": "stop"}))
        seen = await messages_until(ws, "wav")
    kinds = [m["type"] for m in seen]
    assert kinds[0] == "ready" and "transcript" in kinds and "turn" in kinds and kinds[-2:] == ["audio", "wav"]
    transcript = next(m for m in seen if m["type"] == "transcript")
    assert "living room light" in transcript["text"].lower()
    turn = next(m for m in seen if m["type"] == "turn")
    assert turn["commands"][0]["intent"] == "turn_off" and all(r["ok"] for r in turn["results"])
    assert running.hub.state("living_ceiling")["power"] is False  # the device's own state says so
    wav = read_wav(seen[-1]["data"], max_seconds=60)
    assert len(wav) > RATE // 2 and float(np.abs(wav).max()) > 0.05


async def test_korean_words_from_a_scripted_recogniser_end_with_the_vad_and_no_stop(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    url = await serve_voice(VoiceService(ScriptedRecognizer("거실 커 열어줘", "거실 커튼 열어줘"), None))
    speech = np.full(RATE, 0.2, np.float32)
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start", "language": "ko", "room": "living"}))
        await send_audio(ws, pcm_of(speech, silence_s=1.5))  # never says stop: the silence ends it
        seen = await messages_until(ws, "turn")
    transcript = next(m for m in seen if m["type"] == "transcript")
    assert transcript["text"] == "거실 커튼 열어줘" and transcript["rank"] == 1
    assert seen[-1]["commands"][0]["targets"] == ["living_curtain"] and "커튼" in seen[-1]["reply"]


async def test_when_the_hypotheses_name_neighbouring_devices_it_asks_and_starts_nothing(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    url = await serve_voice(VoiceService(ScriptedRecognizer("세탁기 돌려줘", "식기세척기 돌려줘", step=0.2), None))
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start", "language": "ko"}))
        await send_audio(ws, pcm_of(np.full(RATE, 0.2, np.float32), silence_s=0.3))
        await ws.send(json.dumps({"type": "stop"}))
        seen = await messages_until(ws, "turn")
    turn = seen[-1]
    assert turn["reply"] == "세탁기요, 식기세척기요?" and turn["commands"] == [] and turn["results"] == []
    assert running.hub.state("washer")["run_state"] == running.hub.state("dishwasher")["run_state"] == "idle"


async def test_a_stream_that_stops_mid_word_is_heard_as_far_as_it_came(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    url = await serve_voice(VoiceService(ScriptedRecognizer("거실 불 꺼줘"), None))
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start"}))
        await send_audio(ws, pcm_of(np.full(RATE // 2, 0.2, np.float32)))  # then nothing, and no stop
        seen = await messages_until(ws, "turn")
    notice = next(m for m in seen if m["type"] == "notice")
    assert notice["code"] == "stream_stalled" and "초" in notice["message"] and "s" in notice["message_en"]
    assert seen[-1]["commands"][0]["intent"] == "turn_off"


@pytest.mark.parametrize(
    ("send", "code"),
    [
        ([b"\x00\x01" * 100], "bad_message"),  # audio before start
        (['{"type": "start"}', b"\x00" * 100_000], "bad_stream"),  # a frame far too big
        (['{"type": "start"}', b"\x00\x00" * 8000, '{"type": "stop"}'], "no_speech"),  # silence
    ],
)
async def test_bad_streams_get_a_clear_answer_and_the_socket_keeps_serving(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice, send: list[Any], code: str
) -> None:
    url = await serve_voice(VoiceService(ScriptedRecognizer("거실 불 꺼줘"), None))
    async with connect(url, owner_token) as ws:
        for message in send:
            await ws.send(message)
        seen = await messages_until(ws, "error")
        assert seen[-1]["code"] == code and seen[-1]["message"] and seen[-1]["message_en"]
        await ws.send(json.dumps({"type": "start"}))  # the same socket hears the next utterance
        await send_audio(ws, pcm_of(np.full(RATE // 2, 0.2, np.float32)))
        await ws.send(json.dumps({"type": "stop"}))
        assert (await messages_until(ws, "turn"))[-1]["commands"][0]["intent"] == "turn_off"


async def test_a_second_speaker_hears_that_jibsa_is_busy(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    gate = threading.Event()
    recognizer = ScriptedRecognizer("거실 불 꺼줘", gate=gate)
    url = await serve_voice(VoiceService(recognizer, None, parallel=1))
    speech = pcm_of(np.full(RATE // 2, 0.2, np.float32))
    async with connect(url, owner_token) as first, connect(url, owner_token) as second:
        await first.send(json.dumps({"type": "start"}))
        await send_audio(first, speech)
        await first.send(json.dumps({"type": "stop"}))
        await messages_until(first, "ready")
        while recognizer.calls == 0:  # noqa: ASYNC110 - the double counts calls; nothing to await
            await asyncio.sleep(0.01)
        await second.send(json.dumps({"type": "start"}))
        await send_audio(second, speech)
        await second.send(json.dumps({"type": "stop"}))
        busy = await messages_until(second, "busy")
        assert busy[-1]["message"].startswith("지금 다른 말을") and "someone else" in busy[-1]["message_en"]
        gate.set()
        assert (await messages_until(first, "turn"))[-1]["commands"]
        assert (await messages_until(second, "turn"))[-1]["commands"]


async def test_without_credentials_the_socket_is_refused(serve_voice) -> None:  # type: ignore[no-untyped-def]
    url = await serve_voice(VoiceService(ScriptedRecognizer("거실 불 꺼줘"), None))
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        async with websockets.connect(f"ws://{url}/api/voice") as ws:
            await ws.recv()
    assert refused.value.response.status_code == 403


async def test_a_guest_may_not_set_up_a_repeating_schedule_by_voice_either(  # type: ignore[no-untyped-def]
    running: RunningHome, serve_voice
) -> None:
    _, guest = await add_user_with_token(
        running.store,
        running.hub.home.id,
        "guest",
        Role.GUEST,  # type: ignore[arg-type]
        "guest-password-1",
    )
    url = await serve_voice(VoiceService(ScriptedRecognizer("매일 아침 7시에 거실 불 켜줘"), None))
    async with connect(url, guest) as ws:
        await ws.send(json.dumps({"type": "start"}))
        await send_audio(ws, pcm_of(np.full(RATE // 2, 0.2, np.float32)))
        await ws.send(json.dumps({"type": "stop"}))
        seen = await messages_until(ws, "turn")
    assert seen[-1]["type"] == "error" and seen[-1]["code"] == "not_allowed" and seen[-1]["message_en"]
    assert running.hub.pending_jobs() == []


async def test_audio_sent_at_speaking_pace_is_decoded_while_it_arrives(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    recognizer = ScriptedRecognizer("거실 불 꺼줘")
    url = await serve_voice(VoiceService(recognizer, None))
    pcm = pcm_of(np.full(RATE, 0.2, np.float32), silence_s=1.0)
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start"}))
        for offset in range(0, len(pcm), FRAME):  # 0.1 s of audio each 0.1 s, as a microphone sends it
            await ws.send(pcm[offset : offset + FRAME])
            await asyncio.sleep(0.1)
        seen = await messages_until(ws, "turn")
    transcript = next(m for m in seen if m["type"] == "transcript")
    assert transcript["decoded_while_speaking"] is True  # the final transcript needed no decode of its own
    assert any(m["type"] == "partial" for m in seen) and seen[-1]["commands"][0]["intent"] == "turn_off"


async def test_the_voice_check_understands_and_compares_but_changes_nothing(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    await running.conversation.handle("거실 불 켜줘")
    url = await serve_voice(VoiceService(ScriptedRecognizer("거실 불 꺼줘"), None))
    results = []
    async with connect(url, owner_token) as ws:
        for typed in ("거실 불 꺼줘", "주방 불 켜줘"):
            await ws.send(json.dumps({"type": "start", "check": True, "expected_text": typed}))
            await send_audio(ws, pcm_of(np.full(RATE // 2, 0.2, np.float32)))
            await ws.send(json.dumps({"type": "stop"}))
            results.append((await messages_until(ws, "understood"))[-1])
    assert results[0]["matches"] is True and results[0]["commands"][0]["intent"] == "turn_off"
    assert results[1]["matches"] is False and results[1]["expected"][0]["targets"] == ["kitchen_light"]
    assert running.hub.state("living_ceiling")["power"] is True  # heard and understood, not carried out


async def test_a_spoken_timer_is_told_like_a_typed_one(  # type: ignore[no-untyped-def]
    running: RunningHome, owner_token: str, serve_voice
) -> None:
    from jibsa.api.events import ConversationHandled, JobsChanged

    told: list[object] = []
    running.hub.bus.listen(lambda e: told.append(e) if isinstance(e, ConversationHandled | JobsChanged) else None)
    url = await serve_voice(VoiceService(ScriptedRecognizer("30분 뒤에 보일러 꺼"), None))
    async with connect(url, owner_token) as ws:
        await ws.send(json.dumps({"type": "start"}))
        await send_audio(ws, pcm_of(np.full(RATE // 2, 0.2, np.float32)))
        await ws.send(json.dumps({"type": "stop"}))
        await messages_until(ws, "turn")
    assert [j.command["intent"] for j in running.hub.pending_jobs()] == ["turn_off"]
    assert {type(e) for e in told} == {ConversationHandled, JobsChanged}  # the dashboard's timers list refreshes
