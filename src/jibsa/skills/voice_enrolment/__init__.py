"""enrol_voice ("목소리 등록해줘"): the sentences a person reads to enrol their voice, and a marker that
opens the dashboard's enrolment sheet, which records them through the microphone."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jibsa.domain import Command
from jibsa.hub import Outcome, SkillHost
from jibsa.skills.manifest import SkillManifest, read_manifest
from jibsa.words import catalogue


@cache
def voice_enrolment_manifest() -> SkillManifest:
    text = resources.files(__package__).joinpath("skill.yaml").read_text(encoding="utf-8")
    return read_manifest(text, "jibsa/skills/voice_enrolment/skill.yaml")


async def enrol_voice(command: Command, hub: SkillHost) -> Outcome:
    """The five sentences in each language; `open` tells the dashboard to show its enrolment sheet
    (asked through a satellite, the reply itself points to the dashboard)."""
    said: dict[str, str] = {}
    sentences: dict[str, list[str]] = {}
    for language in ("ko", "en"):
        words = catalogue(language)["voices"]
        sentences[language] = [str(s) for s in words["sentences"]]
        numbered = " ".join(f"{i}. {s}" for i, s in enumerate(sentences[language], 1))
        said[language] = str(words["asked"]).format(sentences=numbered)
    return Outcome(command, answer={"said": said, "open": "voice_enrolment", "sentences": sentences})
