"""Replies worded: what the parser understood and what the hub did, handed out by the core as `Said`s
(`jibsa.nlu.replies`), become the sentences a person reads or hears, in their language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from jibsa.domain.said import Said
from jibsa.words.catalogue import say


class Understood(Protocol):
    """What the parser understood (`jibsa.nlu.Understanding`): its reply and note as facts, its language."""

    @property
    def language(self) -> str: ...

    @property
    def said(self) -> tuple[Said, ...]: ...

    @property
    def note(self) -> Said | None: ...

    def to_json(self) -> dict[str, Any]: ...


def _lang(language: str) -> str:
    return "en" if language == "en" else "ko"


def sentence(said: Said, language: str) -> str:
    """One sentence of a reply; in English it begins with a capital letter ("In 30 minutes, I'll …")."""
    text = " ".join(say(said, _lang(language)).split())
    return text[:1].upper() + text[1:] if _lang(language) == "en" else text


def reply_text(said: Sequence[Said], language: str) -> str:
    """The sentences of a reply, one after the other."""
    return " ".join(s for s in (sentence(part, language) for part in said) if s)


def understood_reply(understood: Understood) -> str:
    """The reply the parser made to a request, before anything is done, in the language it was asked in."""
    return reply_text(understood.said, understood.language)


def understood_note(understood: Understood) -> str:
    """What is said before the report of what was done ("'블'을 '불'로 알아들었어요."), or ""."""
    return sentence(understood.note, understood.language) if understood.note is not None else ""


def understood_json(understood: Understood) -> dict[str, Any]:
    """The line object of `jibsa parse` (contract section 5): the parser's facts with the reply worded in the
    language of the request, and a refusal's message in Korean and English."""
    facts = understood.to_json()
    said = [Said.from_json(s) for s in facts.pop("said")]
    out = {
        "text": facts.pop("text"),
        "commands": facts.pop("commands"),
        "reply": reply_text(said, understood.language),
        **facts,
    }
    if "error" in out:
        out["error"] = refused_json(str(out["error"]["code"]), Said.from_json(out["error"]["said"]))
    return out


def refused_json(code: str, said: Said) -> dict[str, str]:
    """`{"code", "message" (Korean), "message_en"}` for a request refused before it was read (`said`: why)."""
    return {"code": code, "message": sentence(said, "ko"), "message_en": sentence(said, "en")}
