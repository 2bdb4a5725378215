"""Requests that act on no device: timers, the shopping list, weather, time and date."""

from __future__ import annotations

import re
from typing import Any

from jibsa.domain import Command
from jibsa.nlu.clause import Clause
from jibsa.nlu.timing import parse_duration

_ITEM_EDGES = re.compile(
    r"^(?:에다가|에다|에|내|제|나의|my|the|to|on|add|put|please)(?:\s+|$)|\s+(?:을|를|도|좀|이|가|랑|하고|to|on|the|my)$"
)
_PARTICLE_END = re.compile(r"(?:을|를|도|좀|이랑|랑|\s*사야\s*(?:돼|해|겠다|겠어|하니까|되니까))$")
_TIMER_NAME = re.compile(r"([가-힣a-z]+)\s*(?:타이머|timer)")
_NOT_A_NAME = frozenset(
    {
        "분",
        "초",
        "시간",
        "a",
        "the",
        "set",
        "start",
        "반",
        "에",
        "로",
        "minute",
        "minutes",
        "second",
        "seconds",
        "hour",
        "hours",
        "min",
        "mins",
    }
)


def timer_command(clause: Clause, text: str) -> Command:
    """set_timer (duration, name when said), cancel_timer or query_timer."""
    if clause.has("timer_query") or (clause.has("query") and not clause.numbers):
        return Command("query_timer")
    if clause.has("timer_cancel") or clause.has("cancel"):
        return Command("cancel_timer")
    params: dict[str, Any] = {}
    seconds = parse_duration(clause.sentence or text)
    if seconds:
        params["duration_s"] = seconds
    name = _TIMER_NAME.search(clause.sentence or clause.text)
    if name and name.group(1) not in _NOT_A_NAME and not re.search(r"\d", name.group(1)):
        params["name"] = name.group(1)
    return Command("set_timer", (), params)


def add_item_command(clause: Clause) -> Command | None:
    """add_item: the words said between the list and the verb, or before the list."""
    lists = [t for t in clause.tokens if t.has("list")]
    adds = [t for t in clause.tokens if t.has("list_add") or t.has("verb")]
    if not lists:
        return None
    listed = lists[0]
    kind = listed.values("list")[0]
    verb = next((t for t in adds if t.start > listed.end), None)
    text = clause.text
    base = clause.offset
    item = _clean_item(text[listed.end - base : verb.start - base]) if verb is not None else ""
    if not item:
        item = _clean_item(text[: listed.start - base])
    if not item:
        return None
    return Command("add_item", (), {"item": item, "list": kind})


def _clean_item(item: str) -> str:
    item = item.strip()
    for _ in range(3):
        item = _ITEM_EDGES.sub("", item).strip()
        item = _PARTICLE_END.sub("", item).strip()
    return item


def weather_command(clause: Clause) -> Command:
    params: dict[str, Any] = {}
    cities = clause.tagged("city")
    if cities:
        params["city"] = cities[0]
    days = clause.tagged("day")
    if days:
        params["day"] = days[0]
    return Command("get_weather", (), params)
