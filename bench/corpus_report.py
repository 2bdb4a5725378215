"""The understanding corpus (issue 18 §5), by category: the Markdown table the README shows.

usage: .venv/bin/python bench/corpus_report.py [--misses CATEGORY [--home HOME] [--limit N]] [--dump FILE]

Generates the corpus (tests/nlu/corpus: templates × the sample home and the two corpus homes), runs jibsa's
parser over it and prints accuracy per category and home, the sentences that acted when they must not, the
widened ones, and each category's floor and target (tests/nlu/corpus/floors.yaml). `--misses` lists what
the parser got wrong in one category (`rule` for the rules proposed); `--dump` writes the corpus as JSON
lines, one item each with its home, to read or to feed another parser.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests" / "nlu"))

from corpus_gen import load_data  # noqa: E402 - the paths above must be set first
from corpus_score import Outcome, build_corpus, group_lines, load_floors, markdown, score_corpus, tally  # noqa: E402


def _commit() -> str:
    run = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h %cs"], capture_output=True, text=True, check=False
    )
    return run.stdout.strip() or "unknown commit"


def _misses(outcomes: list[Outcome], category: str, home: str | None, limit: int) -> None:
    for o in outcomes:
        missed = o.rule_right is False if category == "rule" else o.item["cat"] == category and not o.right
        if not missed or (home and o.home != home):
            continue
        limit -= 1
        if limit < 0:
            return
        before = " / ".join(t["text"] for t in o.item.get("before", []))
        want = o.item["rule"] if category == "rule" else o.item["expect"]
        print(
            f"{o.home}{' @' + o.item['room'] if o.item.get('room') else ''}: "
            f"{before + ' → ' if before else ''}{o.item['text']!r}\n  want {json.dumps(want, ensure_ascii=False)}"
            f"\n  got  {json.dumps(o.got[-1], ensure_ascii=False)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", metavar="CATEGORY")
    parser.add_argument("--home")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    data = load_data()
    started = time.perf_counter()
    corpus = build_corpus(data)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for home, items in corpus.items():
                out.writelines(json.dumps({"home": home, **item}, ensure_ascii=False) + "\n" for item in items)
    outcomes = score_corpus(corpus, data.templates["must_not_act"])
    took = time.perf_counter() - started
    if args.misses:
        _misses(outcomes, args.misses, args.home, args.limit)
        return
    tallies = tally(outcomes)
    print(markdown(tallies, load_floors()))
    print("", *group_lines(tallies), sep="\n")
    print(f"\n{len(outcomes)} sentences on commit {_commit()}, generated and parsed in {took:.1f} s")


if __name__ == "__main__":
    main()
