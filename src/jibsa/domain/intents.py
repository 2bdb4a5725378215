"""Every intent jibsa knows, in one table: what it acts on, what it takes, whether it may be kept for
later, who may ask for it, and which reply says it.

The parser, the hub, the policy, the API and the reply writers all read this table; adding an intent
is adding a row here (and its sentences in the data files), not editing a list in each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class Handler(StrEnum):
    """Who carries an intent out."""

    DEVICE = "device"  # each target device, through its adapter
    SCENE = "scene"  # a scene's steps
    TIMERS = "timers"  # the hub's timers and schedules
    SKILL = "skill"  # a skill (time, weather, lists, partner skills)
    RULES = "rules"  # the home's rules (automations): made, listed, switched, removed, and "왜?"


@dataclass(frozen=True, slots=True)
class IntentSpec:
    """One intent.

    `params` names what it takes (for documentation and the API schema); `timeable` says it may carry
    `delay_s`/`at`/`repeat`; `changes_jobs` says carrying it out adds or removes pending jobs;
    `guests` says a guest may ask for it at all; `owners_only` that only an owner may; `reply` names
    its answer sentence in the reply data.
    """

    name: str
    handler: Handler
    params: tuple[str, ...] = ()
    timeable: bool = False
    changes_jobs: bool = False
    guests: bool = True
    reply: str = ""
    owners_only: bool = False

    @property
    def reply_key(self) -> str:
        return self.reply or self.name


def _device(name: str, *params: str, timeable: bool = True) -> IntentSpec:
    return IntentSpec(name, Handler.DEVICE, params, timeable=timeable)


_TABLE: tuple[IntentSpec, ...] = (
    _device("turn_on"),
    _device("turn_off"),
    _device("open"),
    _device("close"),
    _device("lock"),
    _device("unlock"),
    _device("set", "property", "value"),
    _device("adjust", "property", "direction", "amount"),
    _device("start", "cycle"),
    _device("stop"),
    _device("pause"),
    _device("dock"),
    _device("query_state", "property", timeable=False),
    IntentSpec("run_scene", Handler.SCENE, ("scene",), timeable=True, reply="run_scene"),
    IntentSpec("set_timer", Handler.TIMERS, ("duration_s", "name"), changes_jobs=True, reply="timer_set"),
    IntentSpec("cancel_timer", Handler.TIMERS, ("name",), changes_jobs=True, reply="cancelled_timers"),
    IntentSpec("query_timer", Handler.TIMERS, reply="timers_left"),
    IntentSpec("cancel", Handler.TIMERS, changes_jobs=True, reply="cancelled_recent"),
    IntentSpec("get_weather", Handler.SKILL, ("city", "day")),
    IntentSpec("get_energy", Handler.SKILL, ("topic", "device", "kind")),
    IntentSpec("get_time", Handler.SKILL),
    IntentSpec("get_date", Handler.SKILL),
    IntentSpec("add_item", Handler.SKILL, ("item", "list"), reply="item_added"),
    IntentSpec("add_rule", Handler.RULES, ("rule",), guests=False),
    IntentSpec("list_rules", Handler.RULES),
    IntentSpec("enable_rule", Handler.RULES, ("rule",), guests=False),
    IntentSpec("disable_rule", Handler.RULES, ("rule",), guests=False),
    IntentSpec("remove_rule", Handler.RULES, ("rule",), guests=False),
    IntentSpec("why", Handler.RULES, ("device", "property")),
    IntentSpec("list_jobs", Handler.SKILL),
    IntentSpec("query_home", Handler.SKILL),
    IntentSpec("add_matter_device", Handler.SKILL, ("code",), guests=False, owners_only=True),
    IntentSpec("name_matter_device", Handler.SKILL, ("name", "room"), guests=False, owners_only=True),
)



class IntentRegistry:
    """A set of intents: the built-in ones, plus those that installed skills declare."""

    def __init__(self, specs: Iterable[IntentSpec]) -> None:
        self._specs: dict[str, IntentSpec] = {s.name: s for s in specs}

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[IntentSpec]:
        return iter(self._specs.values())

    def get(self, name: str) -> IntentSpec | None:
        """The row for `name`, or None when jibsa does not know it."""
        return self._specs.get(name)

    def names(self, *, handler: Handler | None = None, timeable: bool | None = None) -> frozenset[str]:
        """Names of the intents matching every condition given."""
        return frozenset(
            s.name for s in self._specs.values()
            if (handler is None or s.handler is handler) and (timeable is None or s.timeable is timeable)
        )  # fmt: skip


BUILTIN_INTENTS = IntentRegistry(_TABLE)
