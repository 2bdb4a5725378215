"""`WS /api/voice`: talk to the home. Authentication as for `/api/events`.

The client sends `{"type": "start", "language": "ko"|"en", "room"?, "session"?, "speak"?: bool}`, then
the utterance as binary frames of 16 kHz mono 16-bit little-endian PCM, then `{"type": "stop"}` (or
nothing: the end of speech is found by the VAD). The server answers `{"type": "partial", "text"}` while
the person speaks, then `{"type": "transcript", "text", "alternatives", "stt_ms"}`, the conversation's
`{"type": "turn", …}` and, when asked to speak, `{"type": "audio", "rate", "bytes"}` followed by one
binary WAV frame. With `"enrol": true` in `start` (and `"for"`: whose voice, `"my_room"`: their room),
the utterance is a sentence read to enrol a voice, answered `{"type": "enrolled", "name", "sample",
"samples"}`. Problems are `{"type": "error"|"notice"|"busy", "code", "message", "message_en"}`.
The socket stays open for the next `start`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, WebSocket, WebSocketDisconnect

from jibsa.api.auth import Principal, watch_socket
from jibsa.api.context import ApiContext
from jibsa.api.errors import ApiError, error_body, refused_by_gate
from jibsa.api.routes_conversation import room_id, told
from jibsa.api.routes_events import accept_socket
from jibsa.api.routes_voices import enrol_heard
from jibsa.gate import GateRefused, HeardVoice, Turn, Via
from jibsa.nlu import Parser
from jibsa.voice.errors import VoiceError
from jibsa.voice.listener import Listener
from jibsa.voice.service import VoiceService, load_voice_service
from jibsa.words.replies import understood_json

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api")
STALL_S = 3.0  # no audio for this long in the middle of an utterance: hear what came
MAX_FRAME = 64_000  # bytes of PCM in one frame (2 s); the page sends ~0.1 s at a time


class VoiceHolder:
    """The service, loaded on first use (joining and loading the model takes a few seconds)."""

    def __init__(
        self, data_dir: Path | None = None, settings: dict[str, Any] | None = None, service: VoiceService | None = None
    ) -> None:
        self._data_dir = data_dir
        self._settings = settings or {}
        self._service = service
        self._lock = asyncio.Lock()

    async def service(self) -> VoiceService:
        async with self._lock:
            if self._service is None:
                if self._data_dir is None:
                    raise VoiceError("model_missing", path="(voice not configured)")
                self._service = await asyncio.to_thread(load_voice_service, self._data_dir, self._settings)
            return self._service


def enable_voice(
    app: FastAPI, data_dir: Path | None, settings: dict[str, Any] | None = None, service: VoiceService | None = None
) -> None:
    """Turn on `/api/voice` for `app`: the model from `data_dir` and `voice:` settings, or `service`."""
    app.state.voice = VoiceHolder(data_dir, settings, service)


@router.websocket("/voice")
async def voice(websocket: WebSocket) -> None:
    context: ApiContext = websocket.app.state.jibsa
    principal = await accept_socket(websocket, context)
    if principal is None:
        return
    async with watch_socket(context, principal, websocket):
        await _talk(websocket, context, principal)


async def _talk(websocket: WebSocket, context: ApiContext, principal: Principal) -> None:
    holder: VoiceHolder | None = getattr(websocket.app.state, "voice", None)
    with contextlib.suppress(WebSocketDisconnect):
        try:
            if holder is None:
                raise VoiceError("model_missing", path="(voice not enabled)")
            service = await holder.service()
        except VoiceError as exc:
            await _send(websocket, "error", exc.to_dict())
            await websocket.close()
            return
        first = True
        connection = f"voice-{uuid.uuid4().hex}"
        while await _one_turn(websocket, context, principal, service, first=first, connection=connection):
            first = False


async def _one_turn(
    websocket: WebSocket,
    context: ApiContext,
    principal: Principal,
    service: VoiceService,
    *,
    first: bool,
    connection: str,
) -> bool:
    """Wait for `start`, hear one utterance, carry it out. False when the client has gone."""
    start = await _next_start(websocket, first=first)
    if start is None:
        return False
    language = "en" if start.get("language") == "en" else "ko"
    room = start["room"] if isinstance(start.get("room"), str) else None
    session = str(start["session"]) if start.get("session") else connection  # one session per socket by default
    await _send(websocket, "ready", {})
    listener = Listener(
        service, language, hotwords=service.words_of(context.running.conversation.parser.home, language)
    )
    try:
        if not await _listen(websocket, listener):
            return False
        if start.get("enrol"):  # a sentence read to enrol the voice: kept as a voiceprint, not carried out
            await _send(websocket, "enrolled", await enrol_heard(context, principal, listener.audio(), start))
            return True
        check = str(start["expected_text"]) if start.get("check") and start.get("expected_text") else None
        await _answer(
            websocket,
            context,
            principal,
            service,
            listener,
            room=room,
            session=session,
            speak=bool(start.get("speak")),
            check=check,
        )
    except VoiceError as exc:
        await _send(websocket, "error", exc.to_dict())
    except ApiError as exc:  # a rule of the conversation endpoint (guests)
        await _send(websocket, "error", error_body(exc.code, exc.detail))
    return True


async def _next_start(websocket: WebSocket, *, first: bool) -> dict[str, Any] | None:
    """The next `start`. Audio before the first one is an error; audio and `stop` arriving after an
    utterance the VAD already ended are the tail of that utterance, and ignored."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return None
        request = _json(message.get("text"))
        if request.get("type") == "start":
            return request
        tail = not first and (message.get("bytes") is not None or request.get("type") == "stop")
        if not tail:
            await _send(websocket, "error", VoiceError("bad_message").to_dict())


async def _listen(websocket: WebSocket, listener: Listener) -> bool:
    """Take audio until `stop`, the end of speech, the length limit or a stall. False if the client left."""
    partial: asyncio.Task[None] | None = None
    try:
        while not listener.full:
            try:
                message = await asyncio.wait_for(websocket.receive(), STALL_S)
            except TimeoutError:
                await _send(websocket, "notice", VoiceError("stream_stalled", seconds=round(STALL_S)).to_dict())
                return True
            if message["type"] == "websocket.disconnect":
                return False
            data = message.get("bytes")
            if data is None:
                if _json(message.get("text")).get("type") == "stop":
                    return True
                continue
            if len(data) > MAX_FRAME:
                raise VoiceError("bad_stream")
            listener.add(data)
            if await listener.ended():
                return True
            if listener.partial_due() and (partial is None or partial.done()):
                partial = asyncio.create_task(_send_partial(websocket, listener))
        return True
    finally:
        if partial is not None:
            with contextlib.suppress(Exception):
                await partial  # the final transcript may reuse it


async def _send_partial(websocket: WebSocket, listener: Listener) -> None:
    found = await listener.partial()
    if found is not None and found.text:
        await _send(websocket, "partial", {"text": found.text})


async def _answer(
    websocket: WebSocket,
    context: ApiContext,
    principal: Principal,
    service: VoiceService,
    listener: Listener,
    *,
    room: str | None,
    session: str | None,
    speak: bool,
    check: str | None = None,
) -> None:
    async def tell_busy() -> None:
        await _send(websocket, "busy", VoiceError("busy").to_dict())

    voices = context.running.voices
    heard_voice = (  # whose voice: matched while the words are recognised
        asyncio.create_task(voices.identify(listener.audio())) if voices is not None and check is None else None
    )
    try:
        recognition = await listener.final(tell_busy)
    except BaseException:
        if heard_voice is not None:
            heard_voice.cancel()
        raise
    voice = await heard_voice if heard_voice is not None else None
    if not recognition.heard_speech:
        raise VoiceError("no_speech")
    conversation = context.running.conversation
    heard = service.choose(recognition, conversation.parser, room)
    await _send(
        websocket,
        "transcript",
        {
            "text": heard.transcript,
            "alternatives": [h.text for h in recognition.alternatives],
            "rank": heard.choice.rank,
            "stt_ms": round(recognition.stt_ms),
            "vad_ms": round(recognition.vad_ms),
            "denoise_ms": round(recognition.denoise_ms),
            "decoded_while_speaking": listener.reused_partial,
        },
    )
    if check is not None:  # the voice check: understand only, and compare with the sentence as typed
        await _send(websocket, "understood", _compared(conversation.parser, heard.transcript, check, room))
        return
    if heard.question is not None:  # hypotheses disagree on the direction or device, or words doubted: ask
        turn = Turn(heard.transcript, (), heard.question, False, language=heard.choice.language)
    else:
        turn = await carry_out(context, principal, heard.transcript, room, session, voice=voice)
    await _send(websocket, "turn", turn.to_dict())
    if speak and turn.reply:
        speech = await service.speak(turn.reply, turn.language)
        wav = speech.to_wav()
        await _send(websocket, "audio", {"rate": speech.rate, "bytes": len(wav)})
        await websocket.send_bytes(wav)


def _compared(parser: Parser, heard: str, typed: str, room: str | None) -> dict[str, Any]:
    """What the heard words mean beside what the typed sentence means (the voice check's line)."""
    understood = understood_json(parser.parse(heard, room=room))
    expected = parser.parse(typed, room=room).to_json()["commands"]
    return {**understood, "expected": expected, "matches": bool(expected) and understood["commands"] == expected}


async def carry_out(
    context: ApiContext,
    principal: Principal,
    text: str,
    room: str | None,
    session: str | None,
    *,
    voice: HeardVoice | None = None,
) -> Turn:
    """What the conversation endpoint does with a sentence, through the gate as a spoken entrance (a PIN
    is said in the same connection): carry it out, and tell it as the endpoint does (`told`). `voice`:
    whose voice it was in, which the gate uses only to narrow the session's role."""
    spoken = replace(principal.at(Via.VOICE, session), voice=voice)
    try:
        turn = await context.running.gate.say(spoken, text, room=room_id(context, room), detail={"via": "voice"})
    except GateRefused as refused:
        raise refused_by_gate(refused) from None
    told(context, principal, turn, text)
    return turn


async def _send(websocket: WebSocket, kind: str, body: dict[str, Any]) -> None:
    await websocket.send_text(json.dumps({"type": kind, **body}, ensure_ascii=False))


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
