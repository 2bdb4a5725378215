"""Answers that are not device commands: the time and date, the weather, shopping lists."""

from jibsa.skills.registry import default_skills

__all__ = ["default_skills"]
