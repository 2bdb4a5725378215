"""The energy answers in words, from a get_energy answer and the catalogue's `energy.answers`
(words/ko.yaml, en.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from jibsa.domain import Home
from jibsa.domain.korean import duration_text, fill, join_names
from jibsa.words.energy import date_text, kwh_text, tier_text, won, words


class _Say:
    def __init__(self, answer: Mapping[str, Any], home: Home, language: str) -> None:
        self.lang = "en" if language == "en" else "ko"
        self.all = words(self.lang)
        self.s: Mapping[str, Any] = self.all["answers"]
        self.answer = answer
        self.home = home

    def __call__(self, key: str, **fields: Any) -> str:
        """The answer `key`, filled; `{name|은}` gives the name the particle that fits how it is read."""
        return fill(str(self.s[key]), fields, self.lang)

    def name(self, device_id: str) -> str:
        device = self.home.device(device_id)
        return device.name if device is not None else device_id

    def tier(self, tier: int) -> str:
        return tier_text(tier, self.lang)

    def since(self) -> str:
        start = date.fromisoformat(self.answer["start"])
        return self("since", month=self.s["months"][start.month - 1], day=start.day)

    def duration(self, seconds: float) -> str:
        minutes = round(seconds / 60)
        if minutes == 0:
            return str(self.s["less_than_a_minute"])
        if self.lang == "ko":
            return duration_text(minutes * 60)
        hours, rest = divmod(minutes, 60)
        return " ".join(p for p in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if p)

    def notes(self) -> str:
        """What the figure leaves out: the days before measuring began, the devices not measured."""
        notes = []
        if self.answer.get("partial") and self.answer.get("since"):
            notes.append(self("partial", date=date_text(date.fromisoformat(self.answer["since"][:10]), self.lang)))
        if "metered" in self.answer and not self.answer["metered"]:
            notes.append(self("devices_only"))
        return (" " + " ".join(notes)) if notes else ""


def say_failure(reason: str, language: str) -> str:
    """Why there is no answer: no store keeps energy, or nothing measures it yet."""
    return str(words(language)["answers"][reason])


def say_energy(answer: Mapping[str, Any], home: Home, language: str) -> str:
    """One to three sentences answering what was asked (answer["topic"])."""
    say = _Say(answer, home, language)
    speak = _SPEAKERS.get(str(answer.get("topic")), _bill)
    return speak(say, answer)


def _bill(say: _Say, a: Mapping[str, Any]) -> str:
    return (
        say("bill", since=say.since(), kwh=kwh_text(a["kwh"]), won=won(a["won"]), tier=say.tier(a["tier"]))
        + say.notes()
    )


def _tier(say: _Say, a: Mapping[str, Any]) -> str:
    if a["passed"] is None:
        return say("tier_first", kwh=kwh_text(a["kwh"]))
    return say("tier_in", tier=say.tier(a["tier"]), kwh=kwh_text(a["kwh"]), passed=kwh_text(a["passed"]))


def _next_tier(say: _Say, a: Mapping[str, Any]) -> str:
    if a["next"] is None:
        return say("next_tier_last", tier=say.tier(a["tier"]), kwh=kwh_text(a["kwh"]))
    return say(
        "next_tier",
        next_tier=say.tier(a["next_tier"]),
        edge=kwh_text(a["next"]),
        left=kwh_text(a["left"]),
        base_now=won(a["base_now"]),
        base_next=won(a["base_next"]),
        jump=won(a["jump_won"]),
    )


def _projection(say: _Say, a: Mapping[str, Any]) -> str:
    if not a["projected"]:
        return say("too_early")
    key = "projection" if a["low_won"] != a["high_won"] else "projection_flat"
    said = [
        say(key, kwh=kwh_text(a["kwh"]), won=won(a["won"]), low=won(a["low_won"]), high=won(a["high_won"])),
        str(say.s["sure"][a["confidence"]]).format(days=kwh_text(a["days_seen"])),
    ]
    if a["edge_ahead"] is not None:
        key = "crossing_likely" if a["likely"] else "crossing_maybe"
        tier = say.tier(a["tier"])
        said.append(
            say(
                key,
                edge=kwh_text(a["edge_ahead"]),
                tier=tier,
                tier_now=say.tier(a["tier_now"]),
            )
        )
    return " ".join(said)


def _compare(say: _Say, a: Mapping[str, Any]) -> str:
    compare = say.s["compare"]
    days = kwh_text(a["days"])
    if not a["known"]:
        return str(compare["unknown"]).format(kwh=kwh_text(a["kwh"]))
    return str(compare[a["way"]]).format(
        days=days,
        diff=kwh_text(a["diff"]),
        pct=round(a["pct"]),
        last_total=kwh_text(a["last_total"]),
        kwh=kwh_text(a["kwh"]),
        last_same=kwh_text(a["last_same"]),
    )


def _top(say: _Say, a: Mapping[str, Any]) -> str:
    devices = a["devices"]
    if not devices:
        return say("top_none")
    first = devices[0]
    said = say(
        "top",
        name=say.name(first["id"]),
        kwh=kwh_text(first["kwh"]),
        pct=round(first["share"]),
    )
    if len(devices) > 1:
        items = [say("top_item", name=say.name(d["id"]), kwh=kwh_text(d["kwh"])) for d in devices[1:]]
        said += " " + say("top_rest", rest=join_names(items) if say.lang == "ko" else ", ".join(items))
    return said + say.notes()


def _run_time(say: _Say, a: Mapping[str, Any]) -> str:
    devices = a["devices"]
    if not devices:
        return say("run_unknown")
    if len(devices) == 1:
        return _run_one(say, devices[0])
    ran = [d for d in devices if d["on_s"] > 0]
    if not ran:
        return " ".join(say("run_none", name=say.name(d["id"])) for d in devices)
    items = [say("run_item", name=say.name(d["id"]), duration=say.duration(d["on_s"])) for d in ran]
    return say("run_many", items=", ".join(items), verb=_verb(say, ran[0]["id"]))


def _run_one(say: _Say, device: Mapping[str, Any]) -> str:
    fields = {"name": say.name(device["id"])}
    if device["on_s"] <= 0:
        return say("run_none", **fields)
    key = "run" if device["kwh"] > 0 else "run_unmeasured"
    return say(
        key, **fields, duration=say.duration(device["on_s"]), verb=_verb(say, device["id"]), kwh=kwh_text(device["kwh"])
    )


def _verb(say: _Say, device_id: str) -> str:
    device = say.home.device(device_id)
    kind = device.type.value if device is not None else ""
    return str(say.s["run_verbs"].get(kind, say.s["run_verb"]))


_SPEAKERS: Mapping[str, Callable[[_Say, Mapping[str, Any]], str]] = {
    "bill": _bill, "tier": _tier, "next_tier": _next_tier, "projection": _projection, "compare": _compare,
    "top": _top, "run_time": _run_time,
}  # fmt: skip
