"""Durations, lists and names as English writes them: one way each ('1 hour 30 minutes', 'A, B and C')."""

from __future__ import annotations


def _unit(count: int, name: str) -> str:
    return f"{count} {name}{'s' * (count != 1)}"


def duration_text(seconds: float) -> str:
    """5400 -> '1 hour 30 minutes', 90 -> '1 minute 30 seconds', 0 -> '0 seconds'."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [_unit(n, name) for n, name in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if n]
    return " ".join(parts) or "0 seconds"


def join_names(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def common_noun(name: str) -> str:
    """A name as it stands inside a sentence: 'Air conditioner' -> 'air conditioner'; 'TV' stays."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
