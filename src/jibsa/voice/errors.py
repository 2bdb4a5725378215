"""The voice path's one exception type: a code, and what to tell the person in Korean and English."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from jibsa.domain import JibsaError
from jibsa.domain.korean import fill


@cache
def _messages() -> dict[str, dict[str, str]]:
    text = files("jibsa.voice.data").joinpath("messages.yaml").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(text)
    return loaded


def voice_message(code: str, language: str, **details: Any) -> str:
    """The message for `code` in `language` ("ko" or "en"), with `details` filled in."""
    language = "en" if language == "en" else "ko"
    return fill(_messages()[code][language], details, language)


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
