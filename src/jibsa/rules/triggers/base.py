"""What a trigger kind is: its JSON fields (read and checked against the home), how it is watched, how
people say it, and how it is read back and reported. A kind module builds one `TriggerKind`; what it
works with is given to it: `Fields` to read, a `WatchSite` to watch on, a `Hearing` to listen with and
`Wording` to speak with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from jibsa.domain import Home
from jibsa.domain.korean import clock_text
from jibsa.hub.clock import Clock
from jibsa.rules.fields import Fields
from jibsa.rules.model import Rule, Trigger
from jibsa.words import word

T = TypeVar("T", bound=Trigger)
Words = Mapping[str, Any]


class WeatherSource(Protocol):
    async def conditions(self, city: str) -> frozenset[str]:
        """The weather kinds that hold now in `city`: a subset of rain, snow, heat, dust_bad."""
        ...


class WatchSite(Protocol):
    """What a watcher works with (the rule engine): the hub's clock, the home's time zone and city, the
    weather source (None: none is set up) and how often to ask it, and firing a rule (True when its
    conditions held)."""

    @property
    def clock(self) -> Clock: ...

    @property
    def timezone(self) -> ZoneInfo: ...

    @property
    def city(self) -> str: ...

    @property
    def weather(self) -> WeatherSource | None: ...

    @property
    def weather_poll_s(self) -> float: ...

    def fire(self, rule: Rule, value: Any = None, *, late: bool = False) -> bool: ...

    def stopped_matching(self, rule: Rule) -> None:
        """What set `rule` off no longer holds (the door it told of is locked again)."""
        ...

    def state(self, device_id: str) -> Mapping[str, Any]:
        """The device's state now."""
        ...

    async def changed_at(self, device_id: str, prop: str) -> float | None:
        """When the device's `prop` last changed, from the kept history (None: not known)."""
        ...

    def missed_by(self, rule: Rule, late_s: float) -> None:
        """`rule` fell due `late_s` seconds ago while jibsa was not running: it fires late (as its `missed`
        says, within the grace its actions allow) or is skipped, and the household is told."""
        ...


class Watcher:
    """Watches the enabled rules of one trigger kind (one watcher per kind and engine). This base keeps
    the rules by id and does nothing else; a kind overrides what it needs.

    The engine hands `event` only what the watcher says it hears: the event types in `hears` (None: every
    event), and only while it watches a rule unless `hears_without_rules` (a watcher that keeps a baseline
    between events). A watcher that does not override `event` is handed nothing."""

    hears: ClassVar[tuple[type, ...] | None] = None
    hears_without_rules: ClassVar[bool] = True

    def __init__(self, site: WatchSite) -> None:
        self.site = site
        self.rules: dict[str, Rule] = {}

    def watch(self, rule: Rule) -> None:
        """Start watching `rule` (enabled, of this kind)."""
        self.rules[rule.id] = rule

    def forget(self, rule_id: str) -> None:
        """Stop watching a rule (removed, switched off, or fired once for good)."""
        self.rules.pop(rule_id, None)

    def event(self, event: object) -> None:
        """Every event on the hub's bus."""

    def missed(self, rule: Rule, last_fired: float | None) -> None:
        """After a start: `rule` last fired at `last_fired` (kinds that `look_back` only)."""

    def start(self) -> None:
        """The engine has loaded the kept rules and listens now."""

    async def resumed(self) -> None:
        """What `start` picked up again from before a restart is in place (the engine waits for it)."""

    async def stop(self) -> None:
        """The engine stops: end every wait."""


class PeriodCount(Protocol):
    """A running count that starts again from zero each period (`EnergyCounted`: this billing period's use)."""

    @property
    def period(self) -> str: ...


C = TypeVar("C", bound=PeriodCount)


class OncePerPeriodWatcher(Watcher, Generic[C]):
    """Watches a count that starts again each period, for marks it passes. The first count after a start
    is only the baseline, so a restart past a mark does not tell again; a new period starts from zero, so a
    mark tells once a period. A kind names the event it counts with (`counted`) and says, in `passed`,
    whether a rule's mark lies between two counts."""

    counted: type[C]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "counted" in cls.__dict__:  # a kind names its event: that is all it hears
            cls.hears = (cls.counted,)

    def __init__(self, site: WatchSite) -> None:
        super().__init__(site)
        self._last: C | None = None  # None until the first count: that one is the baseline

    def event(self, event: object) -> None:
        if not isinstance(event, self.counted):
            return
        last, self._last = self._last, event
        if last is None:
            return
        before = last if last.period == event.period else None
        for rule in tuple(self.rules.values()):
            value = self.passed(rule, before, event)
            if value is not None:
                self.site.fire(rule, value)

    def passed(self, rule: Rule, before: C | None, now: C) -> Mapping[str, Any] | None:
        """What `rule` is fired with when its mark lies after `before` (None: the period's start, zero)
        and by `now`; else None."""
        raise NotImplementedError


class Hearing(Protocol):
    """What a kind's phrases listen with: the rule words of the sentence's language (`words`, the kind's
    own first) and finders over the part of the sentence that says when."""

    @property
    def home(self) -> Home: ...

    @property
    def language(self) -> str: ...

    @property
    def speaker(self) -> str | None:
        """The person saying the sentence, when known: "내가 오면" is about them."""
        ...

    def words(self, key: str) -> Any: ...

    def named(self, part: str) -> list[str]:
        """The devices `part` names by their names."""
        ...

    def devices(self, part: str) -> list[str]:
        """The devices `part` names: by their names, by an appliance word (세탁), or in what it asks."""
        ...

    def rooms(self, part: str) -> list[str]:
        """The rooms `part` names ("아이방 온도가 28도 넘으면")."""
        ...

    def days(self, part: str) -> str:
        """daily, weekdays or weekends, as `part` says."""
        ...

    def seconds(self, found: re.Match[str]) -> float:
        """The duration a match of a duration pattern says ("10분", "10 minutes")."""
        ...


class Wording:
    """The sentences of one language for one use (a rule read back, what happened, why a device changed),
    the kind's own first, and the helpers that fill them in: device names, particles, clock times."""

    def __init__(self, table: Words, own: Words, language: str, home: Home | None = None) -> None:
        self.table = table
        self.own = own
        self.ko = language != "en"
        self.home = home

    def find(self, *path: str) -> Any:
        """The sentence (or table) at `path`: the kind's own words first, then jibsa's; None when neither has it."""
        for words in (self.own, self.table):
            found: Any = words
            for key in path:
                found = found.get(key) if isinstance(found, Mapping) else None
            if found is not None:
                return found
        return None

    def text(self, *path: str) -> Any:
        found = self.find(*path)
        if found is None:
            raise KeyError(".".join(path))
        return found

    def say(self, *path: str, **fields: Any) -> str:
        return word(str(self.text(*path)), fields, "ko" if self.ko else "en")

    def device(self, device_id: str | None, name: str = "") -> dict[str, str]:
        """{"device": its name} (a sentence gives it its particle: "{device|이} 끝나면")."""
        device = self.home.device(device_id or "") if self.home is not None else None
        return {"device": device.name if device is not None else name or (device_id or "")}

    def property(self, prop: str) -> dict[str, str]:
        """{"property": the property's name in words ("습도")}."""
        return {"property": str((self.find("properties") or {}).get(prop, prop))}

    def clock(self, at: str) -> str:
        return clock_text(at) if self.ko else at


@dataclass(frozen=True)
class TriggerKind(Generic[T]):
    """One kind of trigger, registered under the entry point group `jibsa.triggers`.

    `read` turns the JSON form into its `Trigger` (checked against the home); `watcher` watches the
    rules of this kind for one engine; `hear` finds it in the part of a rule sentence that says when
    (its JSON form, or None); `read_back` says that part back ("세탁기가 끝나면"), `happened` what set a
    rule off ("세탁기가 끝났어요."), and `because` why a rule acted ("세탁기가 끝나서"; given the
    name of the device the trigger names). `rank` orders the
    kinds where they are listed, `hearing_rank` the order their phrases are tried in. A kind that
    `looks_back` has its firings noted, so that one due while jibsa was down is caught up (`missed`);
    a rule of a kind `told_once` that only tells people is meant for this one time ("세탁 끝나면 알려줘").
    `words` ({language: {"phrases" | "read_back" | "happened" | "because": {...}}}) are a kind's own
    words, for a kind from another package; jibsa's own kinds keep theirs with the other rule words.
    """

    name: str
    read: Callable[[Fields], T]
    watcher: Callable[[WatchSite], Watcher]
    hear: Callable[[str, Hearing], dict[str, Any] | None]
    read_back: Callable[[Mapping[str, Any], Wording], str]
    happened: Callable[[T, Any, Wording], str]
    because: Callable[[Mapping[str, Any], str, Wording], str]
    rank: int = 100
    hearing_rank: int = 100
    looks_back: bool = False
    told_once: bool = False
    words: Mapping[str, Mapping[str, Words]] = field(default_factory=dict)

    def own_words(self, language: str, use: str) -> Words:
        return self.words.get(language, {}).get(use, {})
