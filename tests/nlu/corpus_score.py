"""Running jibsa's parser over the generated corpus and scoring it by category (issue 18 §5).

An item is right when the commands of every turn match one of its accepted answers (`nlu_scoring.matches`:
the same intents, targets and the expected params). Beyond right and wrong, two counts:
- acted: an item of a must-not-act category (corpus/templates.yaml `must_not_act`) that changed something
  in the home it was not asked to (questions and a rule proposed for a yes change nothing);
- widened: the parser changed more devices than meant: every device of an accepted answer and more, or,
  where nothing was meant (a question back, nonsense), any device at all.
The `rule` row scores the conditional sentences that say one rule plainly: right when the parser proposes
exactly that rule (trigger fields as said, actions with the same devices).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from corpus_gen import CORPUS, CorpusData, generate, load_data
from nlu_scoring import REPO, matches

from jibsa.home_file import load_home
from jibsa.nlu import Parser

HOMES: Mapping[str, Path] = {
    "sample": REPO / "src" / "jibsa" / "data" / "sample_home.yaml",
    "officetel": CORPUS / "homes" / "officetel.yaml",
    "samdae": CORPUS / "homes" / "three_generation.yaml",
}
FLOORS = CORPUS / "floors.yaml"
# What only reads or asks: a question, the weather, a rule proposed and kept only after a yes.
READ_ONLY = frozenset(
    {
        "query_state",
        "get_weather",
        "get_time",
        "get_date",
        "query_timer",
        "list_rules",
        "list_jobs",
        "query_home",
        "why",
        "add_rule",
    }
)


@dataclass(frozen=True)
class Outcome:
    home: str
    item: Mapping[str, Any]
    got: Sequence[Sequence[dict[str, Any]]]  # the commands of each turn
    right: bool
    acted: bool
    widened: bool
    rule_right: bool | None  # None for items that expect no rule


def build_corpus(data: CorpusData | None = None) -> dict[str, list[dict[str, Any]]]:
    """The items of every home, by home key."""
    data = data or load_data()
    return {key: generate(data, load_home(path).home, key) for key, path in HOMES.items()}


def score_corpus(corpus: Mapping[str, Sequence[Mapping[str, Any]]], must_not_act: Iterable[str]) -> list[Outcome]:
    silent = frozenset(must_not_act)
    outcomes = []
    for key, items in corpus.items():
        parser = Parser(load_home(HOMES[key]).home)
        for number, item in enumerate(items):
            outcomes.append(judge(key, item, _run(parser, item, f"corpus-{number}"), item["cat"] in silent))
    return outcomes


def _run(parser: Parser, item: Mapping[str, Any], session: str) -> list[list[dict[str, Any]]]:
    turns = [*item.get("before", []), item]
    use = session if len(turns) > 1 else None
    return [parser.parse(t["text"], room=item.get("room"), session=use).to_json()["commands"] for t in turns]


def judge(home: str, item: Mapping[str, Any], got: Sequence[Sequence[dict[str, Any]]], silent: bool) -> Outcome:
    """How the parser did on one item, given the commands it gave for each turn; `silent`: the item is of a
    must-not-act category."""
    turns = [*item.get("before", []), item]
    right = all(any(matches(alt, g) for alt in t["expect"]) for t, g in zip(turns, got, strict=True))
    last = got[-1]
    if not right and item.get("may_keep") and len(turns) == 1 and last and all(c["intent"] == "add_rule" for c in last):
        right = True
    acting = [c for c in last if c["intent"] not in READ_ONLY]
    accepted = any(matches(alt, last) for alt in item["expect"])
    rule = None if "rule" not in item else _rule_right(item["rule"], last)
    return Outcome(home, item, got, right, silent and bool(acting) and not accepted, _widened(item, acting), rule)


def _widened(item: Mapping[str, Any], acting: Sequence[Mapping[str, Any]]) -> bool:
    changed = {t for c in acting for t in c.get("targets", [])}
    if not changed:
        return False
    meant = [{t for c in alt if c["intent"] not in READ_ONLY for t in c.get("targets", [])} for alt in item["expect"]]
    if item.get("asks") or item["cat"] == "nonsense":
        return not any(changed <= m for m in meant)
    return any(m and m < changed for m in meant)


def _rule_right(expected: Mapping[str, Any], commands: Sequence[Mapping[str, Any]]) -> bool:
    if len(commands) != 1 or commands[0]["intent"] != "add_rule":
        return False
    rule = commands[0].get("params", {}).get("rule", {})
    when = rule.get("when", {})
    if not all(_same(when.get(k), v) for k, v in expected["when"].items()):
        return False
    actions = list(rule.get("do", []))
    if len(actions) != len(expected["do"]):
        return False
    return all(any(_same_action(e, a) for a in actions) for e in expected["do"])


def _same_action(expected: Mapping[str, Any], action: Mapping[str, Any]) -> bool:
    if action.get("kind") != expected["kind"]:
        return False
    if expected["kind"] != "command":
        return True
    return action.get("intent") == expected["intent"] and set(action.get("targets", [])) == set(expected["targets"])


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(float(got) - float(want)) < 1e-6
    return bool(got == want)


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    floors: dict[str, dict[str, float]] = yaml.safe_load(path.read_text(encoding="utf-8"))["categories"]
    return floors


def group_lines(tallies: Sequence[Tally], path: Path = FLOORS) -> list[str]:
    """One line per group of floors.yaml `groups`: its sentences and share of right answers."""
    groups: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    by_name = {t.category: t for t in tallies}
    lines = []
    for name, categories in groups.items():
        total = sum(by_name[c].total for c in categories)
        right = sum(by_name[c].right for c in categories)
        lines.append(f"{name} ({', '.join(categories)}): {_percent(right, total)} of {total}")
    return lines


@dataclass(frozen=True)
class Tally:
    """One category's figures: sentences and right answers, overall and per home; acted; widened."""

    category: str
    total: int
    right: int
    per_home: Mapping[str, tuple[int, int]]  # home → (right, total)
    acted: int
    widened: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def tally(outcomes: Sequence[Outcome]) -> list[Tally]:
    """A tally per category, in the corpus's order, then `rule` (the conditional sentences scored for the rule)."""
    categories = list(dict.fromkeys(o.item["cat"] for o in outcomes))
    out = [_tally(c, [o for o in outcomes if o.item["cat"] == c], lambda o: o.right) for c in categories]
    ruled = [o for o in outcomes if o.rule_right is not None]
    if ruled:
        out.append(_tally("rule", ruled, lambda o: bool(o.rule_right)))
    return out


def _tally(category: str, outcomes: Sequence[Outcome], good: Any) -> Tally:
    per_home = {
        h: (sum(1 for o in outcomes if o.home == h and good(o)), sum(1 for o in outcomes if o.home == h)) for h in HOMES
    }
    counting = category != "rule"  # the rule row repeats conditional sentences: their counts are there
    return Tally(
        category,
        len(outcomes),
        sum(1 for o in outcomes if good(o)),
        per_home,
        sum(o.acted for o in outcomes) if counting else 0,
        sum(o.widened for o in outcomes) if counting else 0,
    )


def markdown(tallies: Sequence[Tally], floors: Mapping[str, Mapping[str, float]]) -> str:
    """The README's table: accuracy by category and home, what acted or widened, floor and target."""
    head = (
        "| category | sentences | right | sample home | officetel | three-generation house | acted when it must not"
        " | widened | floor | target |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for t in tallies:
        homes = " | ".join(_percent(*t.per_home[h]) for h in HOMES)
        floor = floors.get(t.category, {})
        lines.append(
            f"| {t.category} | {t.total} | {_percent(t.right, t.total)} | {homes} | {t.acted} | {t.widened}"
            f" | {_bound(floor.get('floor'))} | {_bound(floor.get('target'))} |"
        )
    counted = [t for t in tallies if t.category != "rule"]
    total, right = sum(t.total for t in counted), sum(t.right for t in counted)
    lines.append(
        f"| **all** | {total} | {_percent(right, total)} | "
        + " | ".join(
            _percent(sum(t.per_home[h][0] for t in counted), sum(t.per_home[h][1] for t in counted)) for h in HOMES
        )
        + f" | {sum(t.acted for t in counted)} | {sum(t.widened for t in counted)} | | |"
    )
    return "\n".join(lines)


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}%" if total else "–"


def _bound(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}%"
