"""jibsa as a Wyoming service (Home Assistant's voice protocol, through the `wyoming` package):
speech to text (ko, en), text to speech (ko, en) and intent handling (a `transcript` in, the home's
reply out as `handled`/`not-handled`). One handler per connection; recognitions share the service's
bound, so a satellite that talks while another is heard waits its turn.

The flow is the one Home Assistant's integration drives: for speech to text it sends `transcribe`,
`audio-start`, the chunks and `audio-stop`, then reads until a `transcript` comes, so every utterance
ends in one (empty when nothing was heard, after an `error` saying why) and the connection is closed,
as Wyoming's own servers do. What a connection may hold is bounded: 8–48 kHz, 1–4 byte samples, mono
or stereo, 1 MiB per event, 30 s of audio; anything else is told as an `error`.

Wyoming carries no credentials (Home Assistant sends none), so the server acts as one named satellite
account the owner made (`jibsa user add kitchen-speaker --role satellite`): every transcript reaches the
home through the gate as that account, with the client's address, in a conversation session of its own
connection. It listens on loopback unless given the client addresses allowed (`allow`). With the
household's enrolled voices, each utterance is also matched to a person (or a stranger); the gate uses
that only to narrow the satellite's role (`HeardVoices` joins the audio to the transcript sent back)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    Describe,
    HandleModel,
    HandleProgram,
    Info,
    TtsProgram,
    TtsVoice,
)
from wyoming.server import AsyncEventHandler
from wyoming.tts import Synthesize

from jibsa import __version__
from jibsa.gate import Gate, Principal
from jibsa.nlu.normalise import looks_english
from jibsa.voice.audio import MAX_UTTERANCE_S, RATE, Samples, pcm16_samples
from jibsa.voice.errors import VoiceError
from jibsa.voice.service import VoiceService
from jibsa.voice.voiceprints import HeardVoices, Voiceprints

log = logging.getLogger(__name__)
CHUNK_SAMPLES = 1024
RATES = range(8_000, 48_001)  # Hz: telephone to studio; rate=1 would be resampled 16,000x
WIDTHS = (1, 2, 3, 4)  # bytes per sample
CHANNELS = (1, 2)
MAX_EVENT_BYTES = 1 << 20  # one event's data or payload: HA sends 10 ms chunks, a satellite 64 ms
_JIBSA = Attribution(name="jibsa", url="https://github.com/jibsa")
_WHISPER = Attribution(name="OpenAI Whisper (faster-whisper)", url="https://github.com/SYSTRAN/faster-whisper")
_ESPEAK = Attribution(name="eSpeak NG", url="https://github.com/espeak-ng/espeak-ng")


def describe(service: VoiceService) -> Info:
    """What this server offers, as Home Assistant's Wyoming integration reads it."""
    asr_model = AsrModel(
        name="whisper",
        attribution=_WHISPER,
        installed=True,
        description="Whisper (CTranslate2)",
        version=__version__,
        languages=list(service.recognizer.languages),
    )
    spoken = service.synthesizer.languages if service.synthesizer else ()
    voices = [
        TtsVoice(
            name=f"espeak-ng-{lang}",
            attribution=_ESPEAK,
            installed=True,
            description=f"eSpeak NG {lang}",
            version=__version__,
            languages=[lang],
        )
        for lang in spoken
    ]
    handle_model = HandleModel(
        name="jibsa",
        attribution=_JIBSA,
        installed=True,
        description="jibsa conversation",
        version=__version__,
        languages=["ko", "en"],
    )
    return Info(
        asr=[
            AsrProgram(
                name="jibsa-stt",
                attribution=_JIBSA,
                installed=True,
                description="jibsa speech to text",
                version=__version__,
                models=[asr_model],
            )
        ],
        tts=[
            TtsProgram(
                name="jibsa-tts",
                attribution=_JIBSA,
                installed=True,
                description="jibsa voice",
                version=__version__,
                voices=voices,
            )
        ],
        handle=[
            HandleProgram(
                name="jibsa",
                attribution=_JIBSA,
                installed=True,
                description="jibsa understanding",
                version=__version__,
                models=[handle_model],
                supports_home_control=True,
            )
        ],
    )


class JibsaEventHandler(AsyncEventHandler):
    """One Wyoming connection."""

    def __init__(
        self,
        service: VoiceService,
        gate: Gate,
        satellite: Principal,
        room: str | None,
        allow: Sequence[Network],
        *connection: Any,
        voices: HeardVoices | None = None,
    ) -> None:
        reader, writer = connection  # as the wyoming server hands them over
        # The wyoming reader trusts each event's stated length; this one refuses more than MAX_EVENT_BYTES.
        super().__init__(cast(asyncio.StreamReader, _BoundedReader(reader)), writer)
        self.service = service
        self.gate = gate
        self.conversation = gate.conversation
        self.room = room
        self.address = _peer(self.writer.get_extra_info("peername"))
        self.allowed = allowed(self.address, allow)
        self.principal = replace(satellite, address=self.address, session=f"wyoming-{uuid.uuid4().hex}")
        self._language = "ko"
        self._chunks: list[Samples] = []
        self._samples = 0
        self._converter = AudioChunkConverter(rate=RATE, width=2, channels=1)
        self._refused: VoiceError | None = None  # this utterance's audio was refused (and the client told)
        self.voices = voices

    async def run(self) -> None:
        if not self.allowed:  # a client outside the allow-list is closed before a word is read
            log.warning("wyoming: refused a connection from %s (not in --allow)", self.address)
            self.writer.close()
            return
        await super().run()

    async def handle_event(self, event: Event) -> bool:
        """Returns False (close) once an utterance has had its transcript."""
        try:
            return await self._dispatch(event)
        except VoiceError as exc:
            await self._tell(exc)
            if exc.code in _ENDS_UTTERANCE:  # the client waits for a transcript: give it an empty one
                await self.write_event(Transcript(text="", language=self._language).event())
                return False
            return True

    async def _tell(self, exc: VoiceError) -> None:
        await self.write_event(Error(text=f"{exc.message_ko} / {exc.message_en}", code=exc.code).event())

    async def _dispatch(self, event: Event) -> bool:
        if Describe.is_type(event.type):
            await self.write_event(describe(self.service).event())
        elif Transcribe.is_type(event.type):
            self._language = spoken_language(Transcribe.from_event(event).language)
        elif AudioStart.is_type(event.type):
            start = AudioStart.from_event(event)
            self._chunks, self._samples, self._refused = [], 0, None
            await self._check(start.rate, start.width, start.channels)
        elif AudioChunk.is_type(event.type):
            await self._add(AudioChunk.from_event(event))
        elif AudioStop.is_type(event.type):
            await self._transcribe()
            return False
        elif Synthesize.is_type(event.type):
            await self._synthesize(Synthesize.from_event(event))
        elif Transcript.is_type(event.type):
            await self._handle(Transcript.from_event(event))
        return True

    async def _check(self, rate: int, width: int, channels: int) -> None:
        """Refuse a format outside the bounds at once (an `error`); the rest of the utterance is dropped,
        and its `audio-stop` gets an empty transcript."""
        if self._refused is None and not format_allowed(rate, width, channels):
            self._refused = VoiceError("bad_audio_format", rate=rate, width=width, channels=channels)
            self._chunks, self._samples = [], 0
            await self._tell(self._refused)

    async def _add(self, chunk: AudioChunk) -> None:
        await self._check(chunk.rate, chunk.width, chunk.channels)
        if self._refused is not None:
            return
        if self._samples < MAX_UTTERANCE_S * RATE:  # beyond that, only counted: the answer is "too long"
            samples = pcm16_samples(self._converter.convert(chunk).audio)
            self._chunks.append(samples)
        self._samples += len(chunk.audio) // (chunk.width * chunk.channels) * RATE // chunk.rate

    async def _transcribe(self) -> None:
        if self._refused is not None:  # already told why: the transcript is empty
            self._refused = None
            await self.write_event(Transcript(text="", language=self._language).event())
            return
        seconds = self._samples / RATE
        if seconds > MAX_UTTERANCE_S:
            raise VoiceError("too_long", limit=round(MAX_UTTERANCE_S), seconds=round(seconds))
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.float32)
        self._chunks, self._samples = [], 0
        matching = asyncio.create_task(self.voices.identify(audio)) if self.voices is not None else None
        try:
            heard = await self.service.hear(audio, self._language, self.conversation.parser, self.room)
        except BaseException:
            if matching is not None:
                matching.cancel()
            raise
        if matching is not None and self.voices is not None:  # for the `transcript` Home Assistant sends next
            self.voices.remember(self.address, heard.transcript, await matching)
        if not heard.recognition.heard_speech:
            raise VoiceError("no_speech")
        if heard.choice.doubtful:  # words the recogniser doubts are not handed on to be carried out
            raise VoiceError("say_again", heard=heard.transcript.strip())
        await self.write_event(Transcript(text=heard.transcript, language=self._language).event())

    async def _synthesize(self, request: Synthesize) -> None:
        speech = await self.service.speak(request.text, voice_language(request, self.service))
        await self.write_event(AudioStart(rate=speech.rate, width=2, channels=1).event())
        step = CHUNK_SAMPLES * 2
        for offset in range(0, len(speech.pcm), step):
            chunk = AudioChunk(rate=speech.rate, width=2, channels=1, audio=speech.pcm[offset : offset + step])
            await self.write_event(chunk.event())
        await self.write_event(AudioStop().event())

    async def _handle(self, transcript: Transcript) -> None:
        voice = self.voices.recall(self.address, transcript.text) if self.voices is not None else None
        principal = replace(self.principal, voice=voice)
        turn = await self.gate.say(principal, transcript.text, room=self.room, detail={"via": "wyoming"})
        answer = Handled if (turn.commands or turn.outcomes) and turn.refused is None else NotHandled
        await self.write_event(answer(text=turn.reply).event())


_ENDS_UTTERANCE = frozenset({"no_speech", "too_long", "too_busy", "say_again"})


def format_allowed(rate: int, width: int, channels: int) -> bool:
    """Audio as a microphone sends it (anything else would blow up when converted: rate=1 → 16,000x)."""
    return rate in RATES and width in WIDTHS and channels in CHANNELS


def spoken_language(language: str | None) -> str:
    """ "en", "en-US" → "en"; anything else is heard as Korean."""
    return "en" if (language or "").lower().split("-")[0].split("_")[0] == "en" else "ko"


def voice_language(request: Synthesize, service: VoiceService) -> str:
    """The language to read `request` in: its voice's name chooses it ("espeak-ng-en", as Home Assistant
    sends it, with no language), else the voice's language, else the text itself."""
    voice = request.voice
    spoken = service.synthesizer.languages if service.synthesizer else ()
    if voice is not None and voice.name is not None:
        named = next((lang for lang in spoken if voice.name == f"espeak-ng-{lang}"), None)
        if named is not None:
            return named
    if voice is not None and voice.language is not None:
        return spoken_language(voice.language)
    return "en" if looks_english(request.text) else "ko"


class _BoundedReader:
    """The connection's stream as the wyoming reader uses it, refusing an event longer than
    MAX_EVENT_BYTES (the reader takes ValueError as the end of the connection, and closes it)."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader

    async def readline(self) -> bytes:
        return await self._reader.readline()

    async def readexactly(self, n: int) -> bytes:
        if n > MAX_EVENT_BYTES:
            log.warning("wyoming: closing a connection that sent a %d-byte event (limit %d)", n, MAX_EVENT_BYTES)
            raise ValueError(f"event of {n} bytes is over the limit of {MAX_EVENT_BYTES}")
        return await self._reader.readexactly(n)

    def feed_eof(self) -> None:
        self._reader.feed_eof()


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


class NotLoopback(ValueError):
    """A TCP address other than loopback, with no allow-list of clients."""


def _peer(peername: Any) -> str:
    if isinstance(peername, tuple) and peername:
        return str(peername[0])
    return "local"  # a unix socket or standard input: this machine


def allowed(address: str, allow: Sequence[Network]) -> bool:
    """Whether a client at `address` may talk: loopback and local sockets always; others only inside `allow`."""
    if address == "local":
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in (*LOOPBACK, *allow))


def check_bind(uri: str, allow: Sequence[Network]) -> None:
    """Refuse a TCP address other than loopback unless clients are limited by an allow-list."""
    parts = urlsplit(uri)
    if parts.scheme != "tcp" or allow:
        return
    host = parts.hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise NotLoopback(
            f"{uri}: Wyoming carries no credentials; listening beyond this machine needs "
            "--allow with the satellites' addresses (e.g. --allow 192.168.0.0/24)"
        )


async def serve_wyoming(
    service: VoiceService,
    gate: Gate,
    satellite: Principal,
    uri: str,
    *,
    room: str | None = None,
    zeroconf: bool = False,
    allow: Sequence[Network] = (),
    voices: Voiceprints | None = None,
) -> None:
    """Serve Wyoming at `uri` (tcp://HOST:PORT, unix://PATH or stdio://) as `satellite` until cancelled;
    with `voices`, each utterance heard is matched against the household's enrolled voices."""
    from functools import partial

    from wyoming.server import AsyncServer

    check_bind(uri, allow)

    server = AsyncServer.from_uri(uri)
    if zeroconf:
        from wyoming.zeroconf import HomeAssistantZeroconf

        port = urlsplit(uri).port or 10300
        await HomeAssistantZeroconf(port=port, name="jibsa").register_server()
    print(f"jibsa voice: Wyoming on {uri}", flush=True)
    heard_voices = HeardVoices(voices) if voices is not None else None
    await server.run(partial(JibsaEventHandler, service, gate, satellite, room, tuple(allow), voices=heard_voices))
