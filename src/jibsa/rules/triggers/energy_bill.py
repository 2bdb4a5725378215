"""This billing period's bill so far passes an amount: {"kind": "energy_bill", "above_won": 50000}
("전기요금 5만 원 넘으면 알려줘", "when the electricity bill goes over 50,000 won, tell me").

The bill is KEPCO's for the period's use so far (`EnergyCounted`, on the bus each time the energy
recorder writes), watched once a period (`OncePerPeriodWatcher`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jibsa.energy.tally import EnergyCounted
from jibsa.nlu.numbers import parse_number
from jibsa.rules.fields import Fields
from jibsa.rules.model import Rule, Trigger
from jibsa.rules.triggers.base import Hearing, OncePerPeriodWatcher, TriggerKind, Wording
from jibsa.words.energy import kwh_text, won, words

MAX_WON = 10_000_000
_UNITS = {"만": 10_000, "천": 1_000, "k": 1_000, "thousand": 1_000}


@dataclass(frozen=True, slots=True)
class BillTrigger(Trigger):
    above_won: float

    kind: ClassVar[str] = "energy_bill"


def _read(fields: Fields) -> BillTrigger:
    above = fields.number("above_won", low=1, high=MAX_WON)
    if above is None:
        raise fields.fail("an energy_bill trigger needs 'above_won' (won)", "above_won")
    return BillTrigger(above)


class BillWatcher(OncePerPeriodWatcher[EnergyCounted]):
    counted = EnergyCounted

    def passed(self, rule: Rule, before: EnergyCounted | None, now: EnergyCounted) -> Mapping[str, Any] | None:
        trigger = rule.when
        if isinstance(trigger, BillTrigger) and (before.won if before else 0) <= trigger.above_won < now.won:
            return {"won": now.won, "kwh": now.kwh}
        return None


def _hear(part: str, hearing: Hearing) -> dict[str, Any] | None:
    if not re.search(hearing.words("energy_bill"), part):
        return None
    amount = re.search(hearing.words("energy_won"), part)
    if amount is None:
        return None
    number = parse_number(re.sub(r"[,\s]", "", amount.group(1)))
    if number is None:
        return None
    limit = number * _UNITS.get((amount.group(2) or "").lower(), 1)
    if not 1 <= limit <= MAX_WON:
        return None
    return {"kind": "energy_bill", "above_won": int(limit) if float(limit).is_integer() else limit}


def _read_back(when: Mapping[str, Any], w: Wording) -> str:
    return w.say("energy_bill", limit=won(float(when["above_won"])))


def _happened(trigger: BillTrigger, value: Any, w: Wording) -> str:
    seen = value if isinstance(value, Mapping) else {}
    return w.say(
        "energy_bill",
        won=won(float(seen.get("won", 0))),
        kwh=kwh_text(float(seen.get("kwh", 0.0))),
        limit=won(trigger.above_won),
    )


def _because(when: Mapping[str, Any], device_name: str, w: Wording) -> str:
    return str(w.text("energy_bill"))


def _words() -> dict[str, dict[str, Any]]:
    return {language: words(language)["rules"] for language in ("ko", "en")}


KIND = TriggerKind(
    "energy_bill", _read, BillWatcher, _hear, _read_back, _happened, _because, rank=9, hearing_rank=26, words=_words()
)
