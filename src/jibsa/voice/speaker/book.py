"""Enrolled voices and who an utterance's embedding belongs to: cosine similarity to each person's
voiceprint (the unit mean of their enrolment embeddings), "unknown" below a threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from jibsa.voice.speaker.mel import Floats

# Chosen from bench/speaker_bench.py's threshold curve (espeak-ng stand-in speakers): see docs/voice.md.
DEFAULT_THRESHOLD = 0.74


@dataclass(frozen=True)
class SpeakerMatch:
    """Who spoke (None: no enrolled voice is close enough) and the closest voice's cosine similarity."""

    person: str | None
    similarity: float
    closest: str | None


@dataclass(frozen=True)
class SpeakerBook:
    """People's voiceprints by name; `match` names the closest at or above `threshold`."""

    voiceprints: Mapping[str, Floats] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError(f"speaker threshold {self.threshold} is not a cosine similarity (-1..1)")

    def enrolled(self, person: str, embeddings: Sequence[Floats]) -> SpeakerBook:
        """A book with `person`'s voiceprint made from `embeddings` (replacing any earlier one)."""
        if not person or not embeddings:
            raise ValueError("enrolment needs a person's name and at least one embedding")
        mean = np.mean(np.stack(embeddings), axis=0)
        voiceprint = (mean / np.linalg.norm(mean)).astype(np.float32)
        return SpeakerBook({**self.voiceprints, person: voiceprint}, self.threshold)

    def without(self, person: str) -> SpeakerBook:
        """A book that no longer knows `person`'s voice."""
        return SpeakerBook({name: v for name, v in self.voiceprints.items() if name != person}, self.threshold)

    def match(self, embedding: Floats) -> SpeakerMatch:
        """The enrolled person whose voiceprint is closest to `embedding`, if close enough."""
        if not self.voiceprints:
            return SpeakerMatch(None, 0.0, None)
        unit = embedding / np.linalg.norm(embedding)
        scores = {name: float(np.dot(unit, print_)) for name, print_ in self.voiceprints.items()}
        closest = max(scores, key=scores.__getitem__)
        person = closest if scores[closest] >= self.threshold else None
        return SpeakerMatch(person, scores[closest], closest)
