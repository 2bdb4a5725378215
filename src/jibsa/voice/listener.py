"""One utterance arriving as a stream (the dashboard's microphone): partial transcripts while the
person speaks, the end found by the VAD (or said by the client), and a final transcript.

Decoding while the person speaks is what makes the answer quick: when the end is found, the last
partial decode often already heard all of the speech, and is taken as the final one without decoding
again."""

from __future__ import annotations

import numpy as np

from jibsa.voice.audio import MAX_UTTERANCE_S, RATE, Samples, pcm16_samples
from jibsa.voice.service import BusyNotice, VoiceService
from jibsa.voice.stt import Recognition

PARTIAL_EVERY_S = 0.5  # new audio before another partial decode
SLOW_DECODE_S = 1.0  # decodes slower than this leave no room for partials: keep the recogniser for the end
END_CHECK_EVERY_S = 0.2  # new audio before the VAD looks for the end again
END_SILENCE_S = 0.5  # silence after speech that ends the utterance
COVER_MARGIN_S = 0.2  # a partial counts as final when it heard this much past the end of speech


class Listener:
    def __init__(
        self, service: VoiceService, language: str, *, hotwords: str | None = None, max_seconds: float = MAX_UTTERANCE_S
    ) -> None:
        self.service = service
        self.language = language
        self.hotwords = hotwords  # the home's words to listen for (VoiceService.words_of)
        self.max_samples = int(max_seconds * RATE)
        self._chunks: list[Samples] = []
        self._length = 0
        self._decoded_at = 0  # samples heard by the last partial
        self._last: Recognition | None = None
        self._checked_at = 0
        self._speech_end: float | None = None  # seconds, as the VAD last saw it
        self.reused_partial = False  # whether the final transcript is a partial decoded while the person spoke

    @property
    def seconds(self) -> float:
        return self._length / RATE

    @property
    def full(self) -> bool:
        return self._length >= self.max_samples

    def add(self, pcm: bytes) -> None:
        """Append 16 kHz mono 16-bit PCM (beyond `max_seconds`, audio is dropped)."""
        samples = pcm16_samples(pcm)[: max(0, self.max_samples - self._length)]
        self._chunks.append(samples)
        self._length += len(samples)

    def audio(self) -> Samples:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0] if self._chunks else np.zeros(0, dtype=np.float32)

    def partial_due(self) -> bool:
        """Every `PARTIAL_EVERY_S` of new audio (unless decoding is too slow for that to help); and at once
        when the speech seems to have ended and the last decode did not hear its end (that decode is then
        usually the final one)."""
        if self.service.last_decode_s <= SLOW_DECODE_S and self._length - self._decoded_at >= PARTIAL_EVERY_S * RATE:
            return True
        end = self._speech_end
        return end is not None and self._decoded_at / RATE < end + COVER_MARGIN_S <= self.seconds

    async def partial(self) -> Recognition | None:
        """A transcript of the audio so far, if the recogniser is free (partials never wait in line)."""
        audio = self.audio()
        found = await self.service.recognize_if_free(audio, self.language, self.hotwords)
        if found is not None:
            self._decoded_at, self._last = len(audio), found
        return found

    async def ended(self) -> bool:
        """Whether the person has stopped speaking (speech, then `END_SILENCE_S` of silence)."""
        if self._length - self._checked_at < END_CHECK_EVERY_S * RATE:
            return False
        self._checked_at = self._length
        end = self._speech_end = await self.service.speech_end(self.audio())
        return end is not None and self.seconds - end >= END_SILENCE_S

    async def final(self, on_busy: BusyNotice | None = None) -> Recognition:
        """The utterance's transcript: the last partial when it heard all the speech, else a new decode."""
        audio = self.audio()
        end = await self.service.speech_end(audio)
        if end is None:
            return Recognition(())
        last = self._last
        if last is not None and last.heard_speech and end <= self._decoded_at / RATE - COVER_MARGIN_S:
            self.reused_partial = True
            return last
        return await self.service.recognize(audio, self.language, on_busy, self.hotwords)
