"""This billing period's use comes within `margin_kwh` of a 누진 tier's edge (or passes it, with no margin):
{"kind": "energy_tier", "tier": 2, "margin_kwh": 10} ("2단계 넘기 전에 알려줘", "2단계까지 20kWh 남으면
알려줘", "누진 2단계 넘으면 알려줘"). Without `tier`, every edge of the period.

The period's use arrives as `EnergyCounted` on the bus each time the energy recorder writes (every
`flush_s`). The first count after a start is only the baseline, so a restart past the mark does not tell
again; a new period starts from zero, so the rule tells once a period.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.energy.tally import EnergyCounted
from jibsa.energy.words import kwh_text, tier_text, words
from jibsa.nlu.numbers import parse_number
from jibsa.rules.fields import Fields
from jibsa.rules.model import Trigger
from jibsa.rules.triggers.base import Hearing, TriggerKind, Watcher, WatchSite, Wording

DEFAULT_MARGIN_KWH = 10.0  # "넘기 전에" with no amount: about a day of an ordinary household's use
HIGHEST_TIER = 4  # the super-user rate, above 1,000 kWh in summer and winter


@dataclass(frozen=True, slots=True)
class TierTrigger(Trigger):
    tier: int | None = None
    margin_kwh: float = 0.0

    kind: ClassVar[str] = "energy_tier"
    quiet: ClassVar[Mapping[str, Any]] = {"tier": None, "margin_kwh": 0.0}


def _read(fields: Fields) -> TierTrigger:
    tier = fields.number("tier", low=2, high=HIGHEST_TIER)
    if tier is not None and not tier.is_integer():
        raise fields.fail(f"{tier:g} is not a whole tier", "tier")
    margin = fields.number("margin_kwh", low=0, high=1000) or 0.0
    return TierTrigger(int(tier) if tier is not None else None, margin)


def _edges(trigger: TierTrigger, counted: EnergyCounted) -> Iterator[tuple[float, int]]:
    """(edge kWh, the tier past it) the trigger watches in `counted`'s period."""
    for index, edge in enumerate(counted.edges):
        if trigger.tier is None or trigger.tier == index + 2:
            yield edge, index + 2


class TierWatcher(Watcher):
    def __init__(self, site: WatchSite) -> None:
        super().__init__(site)
        self._last: EnergyCounted | None = None  # None until the first count: that one is the baseline

    def event(self, event: object) -> None:
        if not isinstance(event, EnergyCounted):
            return
        last, self._last = self._last, event
        if last is None:
            return
        before = last.kwh if last.period == event.period else 0.0
        for rule in tuple(self.rules.values()):
            trigger = rule.when
            if not isinstance(trigger, TierTrigger):
                continue
            for edge, tier in _edges(trigger, event):
                mark = max(edge - trigger.margin_kwh, 0.0)
                if before <= mark < event.kwh:
                    self.site.fire(rule, {"kwh": event.kwh, "edge": edge, "tier": tier})
                    break


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    if not re.search(hearing.words("energy_tier"), part):
        return None
    heard: dict[str, Any] = {"kind": "energy_tier"}
    number = re.search(hearing.words("energy_tier_number"), part)
    tier = parse_number(number.group(1)) if number else None
    if tier is not None:
        if not 2 <= tier <= HIGHEST_TIER:
            return None
        heard["tier"] = int(tier)
    margin = re.search(hearing.words("energy_margin"), part)
    if margin:
        heard["margin_kwh"] = float(margin.group(1))
    elif re.search(hearing.words("energy_before"), part):
        heard["margin_kwh"] = DEFAULT_MARGIN_KWH
    return heard


def _tier_words(tier: Any, w: Wording) -> dict[str, str]:
    language = "ko" if w.ko else "en"
    return {"tier": tier_text(int(tier), language) if tier else str(w.text("energy_next_tier"))}


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    margin = float(when.get("margin_kwh") or 0.0)
    fill = _tier_words(when.get("tier"), w)
    if margin > 0:
        return w.say("energy_tier_before", margin=kwh_text(margin), **fill)
    return w.say("energy_tier_cross", **fill)


def _happened(trigger: TierTrigger, value: Any, w: Wording) -> str:
    seen = value if isinstance(value, Mapping) else {}
    kwh, edge = float(seen.get("kwh", 0.0)), float(seen.get("edge", 0.0))
    fill = {
        **_tier_words(seen.get("tier") or trigger.tier or 2, w),
        "kwh": kwh_text(kwh),
        "edge": kwh_text(edge),
        "left": kwh_text(max(edge - kwh, 0.0)),
    }
    return w.say("energy_tier_before" if kwh <= edge else "energy_tier_cross", **fill)


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return str(w.text("energy_tier"))


def _words() -> dict[str, dict[str, Any]]:
    return {language: words(language)["rules"] for language in ("ko", "en")}


KIND = TriggerKind(
    "energy_tier", _read, TierWatcher, _hear, _read_back, _happened, _because, rank=8, hearing_rank=25, words=_words()
)
