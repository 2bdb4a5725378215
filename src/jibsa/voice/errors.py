"""The voice path's one exception type: a code, and what to tell the person in Korean and English (the
catalogue's `voice` section, words/ko.yaml and en.yaml)."""

from __future__ import annotations

from typing import Any

from jibsa.domain import JibsaError
from jibsa.words import Said, say


def voice_message(code: str, language: str, **details: Any) -> str:
    """The message for `code` in `language` ("ko" or "en"), with `details` filled in."""
    language = "en" if language == "en" else "ko"
    return say(Said(f"voice.{code}", details), language)


class VoiceError(JibsaError):
    """Something the voice path cannot do with what it was given; `str()` is the English message."""

    def __init__(self, code: str, **details: Any) -> None:
        self.code = code
        self.details = details
        super().__init__(voice_message(code, "en", **details))

    @property
    def message_ko(self) -> str:
        return voice_message(self.code, "ko", **self.details)

    @property
    def message_en(self) -> str:
        return voice_message(self.code, "en", **self.details)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message_ko, "message_en": self.message_en}
