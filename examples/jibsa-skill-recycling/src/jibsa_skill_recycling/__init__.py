"""A jibsa skill: what goes out on which day at an apartment complex, from its schedule in settings."""

from __future__ import annotations

from jibsa.skills.partner import PartnerSkill
from jibsa_skill_recycling.schedule import check_settings, recycling_day

__all__ = ["create", "recycling_day"]


def create() -> PartnerSkill:
    """The entry point (group `jibsa.skills`): the manifest in skill.yaml, its one handler and the
    check of its settings."""
    return PartnerSkill.from_package(__name__, {"recycling_day": recycling_day}, check_settings=check_settings)
