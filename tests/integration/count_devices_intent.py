"""An intent jibsa does not have, as another package would register it: its row (what it takes, who
carries it out, that guests may not ask, that it is not timed), how it is asked for, its answer in
each language, and the skill that carries it out."""

from __future__ import annotations

from jibsa.domain import Command
from jibsa.domain.intents import Handler, IntentSpec
from jibsa.hub import Outcome, SkillHost

COUNT_DEVICES = IntentSpec(
    "count_devices", Handler.SKILL, guests=False,
    phrases={"ko": ("[우리] [집] [에] 기기[가] 몇 (개|대)*",), "en": ("how many devices*",)},
    sentences={"ko": "기기가 {count}개 있어요.", "en": "There are {count} devices."},
)  # fmt: skip


async def count_devices(command: Command, hub: SkillHost) -> Outcome:
    return Outcome(command, answer={"count": len(hub.home.devices)})
