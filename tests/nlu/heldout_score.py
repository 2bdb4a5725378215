"""Scoring the parser on the held-out sentences (tests/nlu/heldout): what it acted on rightly, what it asked
or declined, and every wrong action, by kind.

A sentence is right when its commands match one of its answers (`nlu_scoring.matches`), or, when one of its
answers changes nothing, when the parser changes nothing (a question read as a question, a rule proposed
for a yes, a question back). A wrong action is any change to the home that is not one of the answers:
- unasked: the sentence asks for no change (a condition, a question, negation, small talk, a thing the home
  does not have) and something was changed;
- flipped: the opposite of what was asked (on for off, open for close, up for down) on a device meant;
- widened: every device meant and more;
- other device: a device no answer names;
- wrong value: the devices meant, with another intent or value.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from corpus_score import READ_ONLY
from nlu_scoring import matches

from jibsa.home_file import load_home
from jibsa.nlu import Parser

HELDOUT = Path(__file__).resolve().parent / "heldout"
_CHOICE = re.compile(r"\{([^{}]*)\}")
_OPPOSITE = {
    "turn_on": "turn_off",
    "turn_off": "turn_on",
    "open": "close",
    "close": "open",
    "lock": "unlock",
    "unlock": "lock",
    "start": "stop",
    "stop": "start",
}


def expand(pattern: str) -> list[str]:
    """Every sentence a pattern says: "{a|b} c" → ["a c", "b c"]."""
    parts = _CHOICE.split(pattern)
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return [" ".join("".join(c).split()) for c in itertools.product(*choices)]


def _value(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def command(spec: str) -> dict[str, Any]:
    """ "set wall_ac property=temperature value=24" → a command of the contract."""
    intent, *rest = spec.split()
    params = {k: _value(v) for k, _, v in (w.partition("=") for w in rest if "=" in w)}
    return {"intent": intent, "targets": sorted(w for w in rest if "=" not in w), "params": params}


BATCHES = (HELDOUT / "sentences.yaml", HELDOUT / "sentences_2.yaml")  # in the order they were written


def load_items(paths: Sequence[Path] = BATCHES) -> list[dict[str, Any]]:
    """Every sentence with its batch (1, 2, …), home, category, room, earlier turns and answers (lists of
    commands)."""
    return [item for number, path in enumerate(paths, 1) for item in _batch(path, number)]


def _batch(path: Path, number: int) -> list[dict[str, Any]]:
    items = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
        answers = entry["any"] if "any" in entry else [entry["do"]]
        expect = [[command(c) for c in alt] for alt in answers]
        for text in expand(entry["say"]):
            items.append(
                {
                    "batch": number,
                    "home": entry["home"],
                    "cat": entry["cat"],
                    "text": text,
                    "room": entry.get("room"),
                    "before": list(entry.get("before", [])),
                    "expect": expect,
                }
            )
    return items


@dataclass(frozen=True)
class Outcome:
    item: Mapping[str, Any]
    got: Sequence[Mapping[str, Any]]
    right: bool
    wrong: str | None  # the kind of wrong action, None when nothing wrong was changed

    @property
    def asked(self) -> bool:
        return not self.right and self.wrong is None


def acting(commands: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for c in commands if c["intent"] not in READ_ONLY]


def judge(item: Mapping[str, Any], got: Sequence[dict[str, Any]]) -> Outcome:
    expect: list[list[dict[str, Any]]] = item["expect"]
    changed = acting(got)
    silent_ok = any(not acting(alt) for alt in expect)
    right = any(matches(alt, got) for alt in expect) or (silent_ok and not changed)
    if right or not changed:
        return Outcome(item, got, right, None)
    return Outcome(item, got, False, _wrong_kind(expect, changed))


def _wrong_kind(expect: Sequence[Sequence[Mapping[str, Any]]], changed: Sequence[Mapping[str, Any]]) -> str:
    if not any(acting(alt) for alt in expect):
        return "unasked"
    meant = [{(c["intent"], t) for c in acting(alt) for t in c["targets"]} for alt in expect]
    done = {(c["intent"], t) for c in changed for t in c.get("targets", [])}
    meant_targets = [{t for _, t in m} for m in meant]
    done_targets = {t for _, t in done}
    for m in meant:
        if any((_OPPOSITE.get(i), t) in m for i, t in done):
            return "flipped"
    if any(c.get("params", {}).get("direction") for c in changed):
        for alt in expect:
            for want in acting(alt):
                for c in changed:
                    d = c.get("params", {}).get("direction")
                    if (
                        d
                        and want["params"].get("direction") not in (None, d)
                        and set(c["targets"]) & set(want["targets"])
                    ):
                        return "flipped"
    if any(m and m < done_targets for m in meant_targets):
        return "widened"
    if not any(done_targets <= m for m in meant_targets):
        return "other device"
    return "wrong value"


def run(items: Sequence[Mapping[str, Any]]) -> Iterator[Outcome]:
    parsers: dict[str, Parser] = {}
    for number, item in enumerate(items):
        home = item["home"]
        if home not in parsers:
            parsers[home] = Parser(load_home(HELDOUT / "homes" / f"{home}.yaml").home)
        parser = parsers[home]
        session = f"heldout-{number}" if item["before"] else None
        for before in item["before"]:
            parser.parse(before, room=item["room"], session=session)
        got = parser.parse(item["text"], room=item["room"], session=session).to_json()["commands"]
        yield judge(item, got)
