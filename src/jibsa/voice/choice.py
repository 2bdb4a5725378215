"""Home-aware recognition: among the recogniser's hypotheses, take the one the parser understands
against this home — so "셔터 올려줘" is not taken as a near-miss that commands nothing, and "turn on the
bedroom light" is not taken as "turn on the bad room light" (which the parser reads as every light)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jibsa.nlu import Understanding
from jibsa.voice.stt import Hypothesis

# How much less likely (in the recogniser's score, an average log-probability per token) a hypothesis
# may be and still win by being more specific. Hypotheses further down are taken only when nothing
# likelier is understood at all.
SCORE_MARGIN = 0.5


@dataclass(frozen=True)
class Choice:
    """The hypothesis taken, its place in the recogniser's order, and what the parser made of it."""

    text: str
    rank: int
    understanding: Understanding | None


def choose_understood(alternatives: Sequence[Hypothesis], understand: Callable[[str], Understanding]) -> Choice:
    """Of the hypotheses close to the likeliest that give commands with every name found (or that the parser
    understood well enough to ask which device), the most specific
    (fewest devices); else the likeliest such hypothesis at any distance; else the likeliest giving any
    command; else the likeliest. `understand` must change nothing (parse without a session)."""
    if not alternatives:
        return Choice("", 0, None)
    understood = [understand(h.text) for h in alternatives]
    complete = [rank for rank, u in enumerate(understood) if (u.commands and not u.not_found) or u.needs_choice]
    close = [rank for rank in complete if alternatives[rank].score >= alternatives[0].score - SCORE_MARGIN]
    if close:
        rank = min(close, key=lambda r: (_devices(understood[r]), r))
    else:
        rank = next(iter(complete), next((r for r, u in enumerate(understood) if u.commands), 0))
    return Choice(alternatives[rank].text, rank, understood[rank])


def _devices(understanding: Understanding) -> int:
    """How many devices it names; a request the parser asks about ("which room?") counts its candidates."""
    return sum(len(command.targets) for command in understanding.commands) or len(understanding.needs_choice)
