"""The conversation's Matter sentences as phrase rules ("매터 기기 추가해줘", a pairing code, "거실 스탠드로
해줘"), read from phrases.yaml. Importable without python-matter-server: without a controller, adding a
device is answered with how to set one up."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jibsa.domain import Command, Home
from jibsa.domain.said import Said
from jibsa.hub import Outcome, SkillHost
from jibsa.nlu.phrases import PhraseRule

ADD_INTENT = "add_matter_device"
NAME_INTENT = "name_matter_device"


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("phrases.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True)
class MatterPhrases:
    """Rules, the word slots they use (the home's rooms), and the pattern slots (a code, a name)."""

    rules: Sequence[PhraseRule]
    slots: Mapping[str, Mapping[str, Sequence[str]]]
    patterns: Mapping[str, str]


def matter_phrases(home: Home, *, configured: bool, awaiting_name: Callable[[], bool]) -> MatterPhrases:
    """The phrases. A bare pairing code means adding a device only where a controller is configured;
    "…로 해줘" names a device only while one waits for its name."""
    data = _data()
    rules = [
        PhraseRule(ADD_INTENT, data["add"]),
        PhraseRule(ADD_INTENT, data["code"], when=lambda: configured),
        PhraseRule(NAME_INTENT, data["name"], when=awaiting_name),
    ]
    rooms = {room.id: [*room.names, room.id] for room in home.rooms}
    return MatterPhrases(rules, {"room": rooms}, data["patterns"])


async def not_set_up(command: Command, host: SkillHost) -> Outcome:
    """What adding a device answers where no Matter controller is configured."""
    return Outcome(command, error="matter_not_set_up", answer={"said": Said("matter.not_set_up").to_json()})
