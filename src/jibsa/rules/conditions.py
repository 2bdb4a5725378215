"""Does a state match a trigger or a condition; do a rule's conditions hold now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jibsa.rules.model import Condition, ConditionKind, Rule, weekday_allowed
from jibsa.rules.presence import PresenceBook


def value_matches(value: Any, to: Any, above: float | None, below: float | None) -> bool:
    """`value` equals `to` (or is one of `to`, a frozenset; when given) and lies beyond the thresholds (when
    given)."""
    if value is None:
        return False
    if isinstance(to, frozenset):
        if value not in to:  # one of several values (an appliance's ways of finishing)
            return False
    elif to is not None and not _same(value, to):
        return False
    if above is not None or below is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if above is not None and not value > above:
            return False
        if below is not None and not value < below:
            return False
    return True


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return str(value).lower() == str(wanted).lower()
    return bool(value == wanted) or str(value) == str(wanted)


def _in_window(clock_now: str, after: str | None, before: str | None) -> bool:
    start, end = after or "00:00", before or "24:00"
    if start <= end:
        return start <= clock_now < end
    return clock_now >= start or clock_now < end  # wraps midnight: 22:00–06:00


def condition_holds(
    condition: Condition, states: Mapping[str, Mapping[str, Any]], presence: PresenceBook, now: float, tz: ZoneInfo
) -> bool:
    local = datetime.fromtimestamp(now, tz)
    if condition.kind is ConditionKind.TIME:
        return _in_window(local.strftime("%H:%M"), condition.after, condition.before)
    if condition.kind is ConditionKind.WEEKDAY:
        return weekday_allowed(condition.days, local.weekday())
    if condition.kind is ConditionKind.STATE:
        state = states.get(str(condition.device)) or {}
        return value_matches(state.get(str(condition.property)), condition.is_, condition.above, condition.below)
    if condition.kind is not ConditionKind.PRESENCE:
        raise ValueError(f"no check for a {condition.kind} condition")
    if condition.presence == "someone_home":
        return presence.anyone_home()
    if condition.presence == "nobody_home":
        return not presence.anyone_home()
    home = presence.is_home(str(condition.person))
    return home if condition.presence == "home" else not home


def conditions_hold(
    rule: Rule, states: Mapping[str, Mapping[str, Any]], presence: PresenceBook, now: float, tz: ZoneInfo
) -> bool:
    return all(condition_holds(c, states, presence, now, tz) for c in rule.if_)
