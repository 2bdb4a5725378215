"""What happens on its own while chatting (a timer rang, a scheduled command ran), said in the
chat's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jibsa.hub import Hub, JobFired, TimerFinished
from jibsa.presentation.lines import command_words
from jibsa.presentation.state_words import state_words


def announcer(hub: Hub, language: str) -> Callable[[object], None]:
    """A bus listener that prints timers and scheduled jobs as they fire."""
    words = state_words(language)

    def announce(event: object) -> None:
        if isinstance(event, TimerFinished) and not event.missed:  # a missed one is a stored notification
            name = f"{event.job.name} " if event.job.name else ""
            print("\n" + words.phrase("timer_finished", name=name), flush=True)
        elif isinstance(event, JobFired):
            command: dict[str, Any] = dict(event.job.command)
            phrase = "job_done" if event.outcome.ok else "job_failed"
            print("\n" + words.phrase(phrase, what=command_words(hub.home, command, words)), flush=True)

    return announce
