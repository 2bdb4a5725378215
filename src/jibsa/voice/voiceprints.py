"""The household's enrolled voices, and whose voice a spoken request is in.

Per person (their account's id) the speaker embeddings of the sentences they read at enrolment are
kept in one file per home under the data directory, readable only by jibsa's own user (0600 in a 0700
folder), with the household's setting "낯선 목소리는 손님으로" (strangers as guests). Only embeddings are
kept, never the audio. A voice only ever narrows what a request may do (the gate's `judged`)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from jibsa.domain import Role
from jibsa.gate import HeardVoice
from jibsa.voice.audio import RATE, Samples
from jibsa.voice.errors import VoiceError

if TYPE_CHECKING:  # the speaker package loads onnxruntime: only when a voice is first matched or enrolled
    from jibsa.voice.speaker.book import SpeakerBook

MIN_SAMPLE_S = 1.0  # an enrolment sentence shorter than this says too little about the voice
MAX_SAMPLE_S = 15.0
MIN_MATCH_S = 0.5  # a request shorter than this is not matched (its voice is None: judged by the session)
MAX_SAMPLES_PER_PERSON = 20
MAX_PEOPLE = 50
_SILENT_RMS = 0.003  # about -50 dBFS: nothing was said


class Account(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


class Accounts(Protocol):
    """Where a voice's person is looked up (the store's accounts): their name and role now."""

    async def get_user_by_id(self, user_id: str) -> Any: ...


@dataclass(frozen=True)
class VoiceSample:
    """One enrolment sentence as kept: its id, when it was recorded and how long it was (no audio)."""

    id: str
    at: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "seconds": round(self.seconds, 1)}


@dataclass(frozen=True)
class EnrolledVoice:
    """A person's enrolled voice: their account's id and name, the room they call theirs ("내 방"), samples."""

    user_id: str
    name: str
    room: str | None
    samples: tuple[VoiceSample, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "room": self.room,
            "samples": [s.to_dict() for s in self.samples],
        }


class Voiceprints:
    """One home's enrolled voices and the setting, kept in `folder`/<home id>.json (re-read when another
    process, such as `jibsa voice enroll`, changed it)."""

    def __init__(
        self,
        folder: Path,
        home_id: str,
        accounts: Accounts | None,
        *,
        threshold: float | None = None,
        embed: Callable[[Samples], Samples] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = folder / f"{home_id}.json"
        self._accounts = accounts
        self._threshold = threshold
        self._embed = embed
        self._clock = clock
        self._lock = asyncio.Lock()
        self._seen: tuple[int, dict[str, Any]] | None = None  # (mtime_ns, contents) last read
        self._book: tuple[int, SpeakerBook] | None = None

    # -- reading ----------------------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {"strangers_as_guests": True, "people": {}}
        if self._seen is None or self._seen[0] != stamp:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise VoiceError("voices_unreadable", path=str(self.path), problem=str(exc)) from exc
            if not isinstance(data, dict) or not isinstance(data.get("people"), dict):
                raise VoiceError("voices_unreadable", path=str(self.path), problem="no 'people' object")
            self._seen = (stamp, data)
        return self._seen[1]

    def strangers_as_guests(self) -> bool:
        """The household's setting "낯선 목소리는 손님으로" (on unless the owner turned it off)."""
        return bool(self._data().get("strangers_as_guests", True))

    def enrolled(self) -> list[EnrolledVoice]:
        """Everyone with an enrolled voice, by name."""
        people = self._data()["people"]
        voices = [_voice(user_id, entry) for user_id, entry in people.items()]
        return sorted(voices, key=lambda v: v.name)

    def voice_of(self, user_id: str) -> EnrolledVoice | None:
        entry = self._data()["people"].get(user_id)
        return None if entry is None else _voice(user_id, entry)

    def book(self) -> SpeakerBook:
        """The enrolled voices as a book keyed by account id (threshold: the speaker book's default)."""
        from jibsa.voice.speaker.book import DEFAULT_THRESHOLD, SpeakerBook

        data = self._data()
        stamp = self._seen[0] if self._seen is not None else 0
        if self._book is None or self._book[0] != stamp:
            book = SpeakerBook(threshold=DEFAULT_THRESHOLD if self._threshold is None else self._threshold)
            for user_id, entry in data["people"].items():
                vectors = [np.asarray(s["embedding"], dtype=np.float32) for s in entry.get("samples", ())]
                if vectors:
                    book = book.enrolled(user_id, vectors)
            self._book = (stamp, book)
        return self._book[1]

    # -- matching ---------------------------------------------------------------------------------

    async def identify(self, samples_16k: Samples) -> HeardVoice | None:
        """Whose voice `samples_16k` (a spoken request) is in: an enrolled person, or a stranger (`person`
        None). None when no voice is enrolled in the home, or the request is too short to tell."""
        book = self.book()
        if not book.voiceprints or len(samples_16k) < MIN_MATCH_S * RATE:
            return None
        embedding = await asyncio.to_thread(self._embedding, samples_16k)
        found = book.match(embedding)
        if found.person is None:
            return HeardVoice(None, found.similarity)
        voice = self.voice_of(found.person)
        account = await self._account(found.person)
        if voice is None or account is None:  # deleted meanwhile: nobody's voice
            return HeardVoice(None, found.similarity)
        return HeardVoice(account.name, found.similarity, Role(account.role), voice.room)

    async def _account(self, user_id: str) -> Account | None:
        if self._accounts is None:
            return None
        found: Account | None = await self._accounts.get_user_by_id(user_id)
        return found

    def _embedding(self, samples_16k: Samples) -> Samples:
        if self._embed is not None:
            return self._embed(samples_16k)
        from jibsa.voice.speaker import embed

        return embed(samples_16k)

    # -- changing ---------------------------------------------------------------------------------

    async def add_sample(self, user_id: str, name: str, samples_16k: Samples, room: str | None = None) -> VoiceSample:
        """Enrol one sentence `user_id` read (16 kHz mono): its embedding is kept, the audio is not."""
        seconds = len(samples_16k) / RATE
        if not MIN_SAMPLE_S <= seconds <= MAX_SAMPLE_S:
            raise VoiceError("enrol_length", seconds=round(seconds, 1), low=MIN_SAMPLE_S, high=MAX_SAMPLE_S)
        if float(np.sqrt(np.mean(samples_16k.astype(np.float64) ** 2))) < _SILENT_RMS:
            raise VoiceError("no_speech")
        embedding = await asyncio.to_thread(self._embedding, samples_16k)
        sample = VoiceSample(uuid.uuid4().hex, self._clock(), seconds)
        async with self._lock:
            data = self._data()
            people = data["people"]
            entry = people.get(user_id)
            if entry is None and len(people) >= MAX_PEOPLE:
                raise VoiceError("enrol_full", limit=MAX_PEOPLE)
            entry = entry or {"samples": []}
            if len(entry["samples"]) >= MAX_SAMPLES_PER_PERSON:
                raise VoiceError("enrol_full", limit=MAX_SAMPLES_PER_PERSON)
            entry["name"] = name
            if room is not None:
                entry["room"] = room
            entry["samples"].append(
                {**sample.to_dict(), "seconds": seconds, "embedding": [round(float(x), 6) for x in embedding]}
            )
            people[user_id] = entry
            self._write(data)
        return sample

    async def forget(self, user_id: str, sample_ids: Sequence[str] | None = None) -> int:
        """Delete `user_id`'s samples (all of them when `sample_ids` is None); how many were deleted."""
        async with self._lock:
            data = self._data()
            entry = data["people"].get(user_id)
            if entry is None:
                return 0
            before = len(entry["samples"])
            if sample_ids is None:
                entry["samples"] = []
            else:
                entry["samples"] = [s for s in entry["samples"] if s["id"] not in set(sample_ids)]
            removed = before - len(entry["samples"])
            if not entry["samples"]:
                del data["people"][user_id]
            if removed:
                self._write(data)
            return removed

    async def set_strangers_as_guests(self, on: bool) -> None:
        async with self._lock:
            data = self._data()
            data["strangers_as_guests"] = bool(on)
            self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        """Written whole under a private name, then moved into place: no reader sees half a file."""
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        temporary = folder / f".{self.path.name}.{uuid.uuid4().hex}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)
        self._seen = None


def _voice(user_id: str, entry: dict[str, Any]) -> EnrolledVoice:
    samples = tuple(VoiceSample(s["id"], float(s["at"]), float(s["seconds"])) for s in entry.get("samples", ()))
    return EnrolledVoice(user_id, str(entry.get("name", "")), entry.get("room"), samples)


RECALL_S = 30.0  # Home Assistant sends the transcript it was given back within a second or two
_MAX_REMEMBERED = 256


class HeardVoices:
    """Whose voice each recent utterance was in, for the Wyoming server: Home Assistant hears the audio on
    one connection (speech to text) and sends the transcript on another (intent handling), so a voice is
    remembered by the client's address and the transcript's words until that transcript comes back.
    A transcript that was never heard as audio here (another recogniser) has no voice: the session's role."""

    def __init__(self, voices: Voiceprints, clock: Callable[[], float] = time.monotonic) -> None:
        self.voices = voices
        self._clock = clock
        self._recent: dict[tuple[str, str], tuple[float, HeardVoice | None]] = {}

    async def identify(self, samples_16k: Samples) -> HeardVoice | None:
        return await self.voices.identify(samples_16k)

    def remember(self, address: str, transcript: str, voice: HeardVoice | None) -> None:
        now = self._clock()
        self._recent = {k: v for k, v in self._recent.items() if now - v[0] <= RECALL_S}
        if len(self._recent) >= _MAX_REMEMBERED:
            self._recent.pop(next(iter(self._recent)))
        self._recent[(address, transcript.strip())] = (now, voice)

    def recall(self, address: str, transcript: str) -> HeardVoice | None:
        """The voice of the utterance from `address` heard as `transcript` (taken: said once, used once)."""
        found = self._recent.pop((address, transcript.strip()), None)
        if found is None or self._clock() - found[0] > RECALL_S:
            return None
        return found[1]
