"""Answers that are not device commands: the time and date, the weather, shopping lists — and
partners' skills, installed as packages (entry point group `jibsa.skills`, `docs/skills.md`)."""

from jibsa.skills.registry import default_skills

__all__ = ["default_skills"]
