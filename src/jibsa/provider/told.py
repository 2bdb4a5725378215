"""The provider's errors that a person reads (its operator at the command line, a worker's or gateway's
start-up), as facts: each holds a `Said` of the catalogue's `provider_errors` and is worded in the
reader's language (`worded`); its text as an exception is the Korean one, jibsa's default."""

from __future__ import annotations

from typing import Any

from jibsa.config import ConfigError
from jibsa.domain.said import Said
from jibsa.words import say


class Told(Exception):
    """An error whose words are in the catalogue."""

    def __init__(self, said: Said) -> None:
        self.said = said
        super().__init__(self.worded("ko"))

    def worded(self, language: str) -> str:
        return say(self.said, language)


class SettingsError(Told, ConfigError):
    """A setting that cannot be used: where it came from (the file, or the environment variable; "" for a
    default), its field, the value it had, and the problem."""

    def __init__(self, source: str, field: str, value: Any, problem: Said) -> None:
        self.source = source
        self.field = field
        self.value = value
        super().__init__(problem)

    def worded(self, language: str) -> str:
        shown = "" if self.value in ("", None) else f"{self.value!r:.200}"
        parts = (self.source, self.field, shown, say(self.said, language))
        return ": ".join(part for part in parts if part)


def worded(error: BaseException, language: str) -> str:
    """The error's one line in `language`: from the catalogue when it is `Told`, else as it is."""
    return error.worded(language) if isinstance(error, Told) else str(error)
