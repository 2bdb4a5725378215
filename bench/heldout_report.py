"""The held-out measure of understanding: homes and sentences the parser was never tuned on.

usage: .venv/bin/python bench/heldout_report.py [--misses] [--cat CATEGORY] [--wrong] [--batch N]

Reads tests/nlu/heldout (homes, and sentence patterns with their answers in batches, each written and frozen
before the parser was run on it), runs jibsa's parser over every sentence and prints, per category:
sentences, acted or answered rightly, asked or declined, and wrong actions (changed something not said,
widened, flipped, another device, a wrong value), then the totals of each batch. `--misses` lists every
sentence not right (`--wrong`: only the wrong actions); `--batch` keeps one batch. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests" / "nlu"))

from heldout_score import Outcome, acting, load_items, run  # noqa: E402 - the paths above must be set first


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _show(o: Outcome) -> None:
    room = f" @{o.item['room']}" if o.item.get("room") else ""
    before = " / ".join(o.item["before"])
    print(f"[{o.item['cat']}] {o.item['home']}{room}: {before + ' → ' if before else ''}{o.item['text']!r}")
    print(f"   want {json.dumps(o.item['expect'], ensure_ascii=False)}")
    print(f"   got  {json.dumps(o.got, ensure_ascii=False)}  {o.wrong or 'asked/declined'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--wrong", action="store_true")
    parser.add_argument("--cat")
    parser.add_argument("--batch", type=int)
    args = parser.parse_args()
    items = [i for i in load_items() if args.batch in (None, i["batch"])]
    started = time.perf_counter()
    outcomes = list(run(items))
    took = time.perf_counter() - started
    if args.misses or args.wrong:
        for o in outcomes:
            if (args.cat and o.item["cat"] != args.cat) or o.right or (args.wrong and not o.wrong):
                continue
            _show(o)
        return
    print("| category | sentences | right | asked or declined | wrong actions |\n|---|---:|---:|---:|---:|")
    for cat in dict.fromkeys(o.item["cat"] for o in outcomes):
        mine = [o for o in outcomes if o.item["cat"] == cat]
        right, asked, wrong = (
            sum(1 for o in mine if o.right),
            sum(o.asked for o in mine),
            sum(1 for o in mine if o.wrong),
        )
        print(f"| {cat} | {len(mine)} | {_pct(right, len(mine))} | {_pct(asked, len(mine))} | {wrong} |")
    batches = {
        n: [o for o in outcomes if o.item["batch"] == n] for n in dict.fromkeys(o.item["batch"] for o in outcomes)
    }
    summary: dict[str, Any] = {"commit": _commit(), "seconds": round(took, 2), **_summary(outcomes)}
    summary["batches"] = {str(n): _summary(mine) for n, mine in batches.items()}
    for name, figures in [("all", summary), *((f"batch {n}", summary["batches"][str(n)]) for n in batches)]:
        print(
            f"\n{name}: {figures['sentences']} sentences over {figures['homes']} homes. Of the "
            f"{figures['asking_for_action']} that ask for an action: {100 * figures['acted_correctly']:.1f}% done "
            f"rightly, {100 * figures['asked_or_declined']:.1f}% asked or declined. Of the {figures['must_not_act']} "
            f"that must change nothing: {100 * figures['must_not_act_held']:.1f}% held. "
            f"Wrong actions: {figures['wrong_actions']} {figures['wrong_by_kind']}."
        )
    print(json.dumps(summary, ensure_ascii=False))


def _summary(outcomes: list[Outcome]) -> dict[str, Any]:
    wanted = [o for o in outcomes if all(acting(alt) for alt in o.item["expect"])]
    silent = [o for o in outcomes if not any(acting(alt) for alt in o.item["expect"])]
    kinds = Counter(o.wrong for o in outcomes if o.wrong)
    return {
        "sentences": len(outcomes),
        "homes": len({o.item["home"] for o in outcomes}),
        "right": _share(sum(o.right for o in outcomes), len(outcomes)),
        "asking_for_action": len(wanted),
        "acted_correctly": _share(sum(o.right for o in wanted), len(wanted)),
        "asked_or_declined": _share(sum(o.asked for o in wanted), len(wanted)),
        "must_not_act": len(silent),
        "must_not_act_held": _share(sum(o.right for o in silent), len(silent)),
        "wrong_actions": sum(kinds.values()),
        "wrong_by_kind": dict(sorted(kinds.items())),
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


if __name__ == "__main__":
    main()
