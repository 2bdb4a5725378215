"""Every intent jibsa knows, in one table: what it acts on, what it takes, whether it may be kept for
later, who may ask for it, how it is asked for and which reply says it.

The parser (the device actions it hears, what may be timed, an intent's own phrases), the hub (who
carries it out), the policy (guests), the API (the device intents its schema accepts), the dashboard
(the buttons on a device's sheet) and the reply writers all read this table; adding an intent is
adding a row (`IntentRegistry.adding` for one from another package), not editing a list in each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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
    its answer sentence in the reply data. `verb` says a verb alone asks for it ("꺼줘", "충전하러 가");
    `button` puts it on a device's sheet. An intent the grammar does not know (another package's) brings
    how it is asked for, `phrases` ({language: templates}, as a skill's manifest writes them), and its
    answer, `sentences` ({language: sentence}, filled in from the outcome's answer).
    """

    name: str
    handler: Handler
    params: tuple[str, ...] = ()
    timeable: bool = False
    changes_jobs: bool = False
    guests: bool = True
    reply: str = ""
    owners_only: bool = False
    verb: bool = False
    button: bool = False
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sentences: Mapping[str, str] = field(default_factory=dict)

    @property
    def reply_key(self) -> str:
        return self.reply or self.name


def _device(name: str, *params: str, timeable: bool = True, verb: bool = True, button: bool = False) -> IntentSpec:
    return IntentSpec(name, Handler.DEVICE, params, timeable=timeable, verb=verb, button=button)


_TABLE: tuple[IntentSpec, ...] = (
    _device("turn_on"),
    _device("turn_off"),
    _device("lock", button=True),
    _device("unlock", button=True),
    _device("open", button=True),
    _device("close", button=True),
    _device("set", "property", "value", "keep_power", verb=False),
    _device("adjust", "property", "direction", "amount", verb=False),
    _device("start", "cycle", button=True),
    _device("pause", button=True),
    _device("stop", button=True),
    _device("dock", button=True),
    _device("query_state", "property", "state", timeable=False, verb=False),
    IntentSpec("run_scene", Handler.SCENE, ("scene",), timeable=True, reply="run_scene"),
    IntentSpec("set_timer", Handler.TIMERS, ("duration_s", "name"), changes_jobs=True, reply="timer_set"),
    IntentSpec("cancel_timer", Handler.TIMERS, ("name",), changes_jobs=True, reply="cancelled_timers"),
    IntentSpec("query_timer", Handler.TIMERS, reply="timers_left"),
    IntentSpec("cancel", Handler.TIMERS, ("all",), changes_jobs=True, reply="cancelled_recent"),
    IntentSpec("get_weather", Handler.SKILL, ("city", "day")),
    IntentSpec("get_energy", Handler.SKILL, ("topic", "device", "kind")),
    IntentSpec("get_time", Handler.SKILL),
    IntentSpec("get_date", Handler.SKILL),
    IntentSpec("enrol_voice", Handler.SKILL),
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

    def names(
        self, *, handler: Handler | None = None, timeable: bool | None = None, verb: bool | None = None
    ) -> frozenset[str]:
        """Names of the intents matching every condition given."""
        return frozenset(
            s.name for s in self._specs.values()
            if (handler is None or s.handler is handler) and (timeable is None or s.timeable is timeable)
            and (verb is None or s.verb is verb)
        )  # fmt: skip

    def buttons(self, accepted: Iterable[str]) -> list[str]:
        """Of the intents a device `accepted`, those its sheet offers as buttons, in the table's order."""
        accepted = set(accepted)
        return [s.name for s in self._specs.values() if s.button and s.name in accepted]

    def adding(self, *specs: IntentSpec) -> IntentRegistry:
        """These intents and `specs` (a row of the same name replaces this one's)."""
        return IntentRegistry({**self._specs, **{s.name: s for s in specs}}.values())


BUILTIN_INTENTS = IntentRegistry(_TABLE)
