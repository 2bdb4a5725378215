"""What a running home gets of Matter besides the adapter: the conversation's skills and phrases for
adding and naming devices, and the commissioner the dashboard's sheet uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jibsa.hub import DeviceAdapter, Hub, Skill

from .phrases import ADD_INTENT, NAME_INTENT, MatterPhrases, matter_phrases, not_set_up

if TYPE_CHECKING:
    from .commissioning import Commissioner


@dataclass(frozen=True)
class MatterWiring:
    skills: dict[str, Skill]
    phrases: MatterPhrases
    commissioner: Commissioner | None  # None: no controller configured


def matter_wiring(hub: Hub, adapter: DeviceAdapter | None, now: Callable[[], float]) -> MatterWiring:
    """Skills and phrases for `hub`; with `adapter` (the home's Matter adapter) they commission through it."""
    if adapter is None:
        phrases = matter_phrases(hub.home, configured=False, awaiting_name=lambda: False)
        return MatterWiring({ADD_INTENT: not_set_up, NAME_INTENT: not_set_up}, phrases, None)
    from .adapter import MatterAdapter
    from .commissioning import Commissioner, commissioning_skills

    if not isinstance(adapter, MatterAdapter):
        raise TypeError(f"the 'matter' adapter is a {type(adapter).__name__}, not jibsa's MatterAdapter")
    commissioner = Commissioner(adapter, hub, now)
    phrases = matter_phrases(hub.home, configured=True, awaiting_name=commissioner.awaiting_name)
    return MatterWiring(commissioning_skills(commissioner), phrases, commissioner)
