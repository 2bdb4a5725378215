"""Home-aware recognition: among the recogniser's hypotheses, take the one the parser understands
against this home — so "셔터 올려줘" is not taken as a near-miss that commands nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jibsa.nlu import Understanding
from jibsa.voice.stt import Hypothesis


@dataclass(frozen=True)
class Choice:
    """The hypothesis taken, its place in the recogniser's order, and what the parser made of it."""

    text: str
    rank: int
    understanding: Understanding | None


def choose_understood(alternatives: Sequence[Hypothesis], understand: Callable[[str], Understanding]) -> Choice:
    """The likeliest hypothesis that gives commands with every name found; else the likeliest that gives
    any command; else the likeliest. `understand` must change nothing (parse without a session)."""
    if not alternatives:
        return Choice("", 0, None)
    understood = [understand(h.text) for h in alternatives]
    for rank, understanding in enumerate(understood):
        if understanding.commands and not understanding.not_found:
            return Choice(alternatives[rank].text, rank, understanding)
    for rank, understanding in enumerate(understood):
        if understanding.commands:
            return Choice(alternatives[rank].text, rank, understanding)
    return Choice(alternatives[0].text, 0, understood[0])
