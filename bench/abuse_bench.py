"""Issue 20's abuse figures, measured again: rules bombing over the HTTP API and rules files.

    .venv/bin/python bench/abuse_bench.py [--rules 10000]

- A member POSTs `--rules` rules that notify when a light turns on (the issue: 10,000 accepted): how many
  are accepted before 429, and the time per accepted request.
- A guest switches that light: the request's time, the notifications stored, the process's memory growth.
- A rules file: the alias bomb and a 10 MB file (`jibsa rules check`'s reading): time and peak memory
  until refused; a file of 1,000 rules just under the size limit: time and peak memory to check.
In-process over httpx's ASGI transport with the real SQLite store in a temporary directory; the sample home.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import Settings, open_home
from jibsa.domain import Home, Role
from jibsa.rules.file import load_rules_file
from jibsa.rules.model import RuleFormatError

LIGHT_ON = {
    "name": "불 켜짐",
    "when": {"kind": "state", "device": "living_ceiling", "property": "power", "to": True},
    "do": [{"kind": "notify"}],
}


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def rules_bombing(count: int, data: Path) -> dict[str, Any]:
    async with await open_home(Settings(data_dir=data)) as running:
        tokens = {}
        for name, role in (("member", Role.MEMBER), ("guest", Role.GUEST)):
            _, tokens[name] = await add_user_with_token(running.store, running.hub.home.id, name, role)  # type: ignore[arg-type]
        transport = httpx.ASGITransport(app=create_app(running, AuthSettings()), client=("192.0.2.10", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://jibsa.test") as client:
            member = {"Authorization": f"Bearer {tokens['member']}"}
            accepted, started = 0, time.perf_counter()
            for _ in range(count):
                answer = await client.post("/api/rules", json={"rule": LIGHT_ON}, headers=member)
                if answer.status_code != 201:
                    refused = answer.status_code
                    break
                accepted += 1
            else:
                refused = 0
            per_rule_ms = (time.perf_counter() - started) / max(accepted, 1) * 1000
            before = _rss_mb()
            started = time.perf_counter()
            switched = await client.post(
                "/api/devices/living_ceiling/commands",
                json={"intent": "turn_on"},
                headers={"Authorization": f"Bearer {tokens['guest']}"},
            )
            assert running.rules is not None
            await running.rules.settled()
            switch_s = time.perf_counter() - started
            stored = await running.store.notifications(running.hub.home.id, None, limit=100_000)  # type: ignore[attr-defined]
            return {
                "accepted": accepted,
                "then": refused,
                "ms_per_rule": round(per_rule_ms, 2),
                "switch_status": switched.status_code,
                "switch_s": round(switch_s, 3),
                "notifications": len(stored),
                "rss_growth_mb": round(_rss_mb() - before, 1),
            }


def _measure_file(path: Path, home: Home) -> dict[str, Any]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = f"ok: {len(load_rules_file(path, home))} rules"
    except RuleFormatError as exc:
        outcome = f"refused: {str(exc).split(': ', 1)[1][:80]}"
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "file_kb": path.stat().st_size // 1024,
        "outcome": outcome,
        "s": round(seconds, 3),
        "peak_mb": round(peak / 2**20, 1),
    }


def rules_files(data: Path) -> dict[str, Any]:
    from jibsa.home_file import load_home

    home = load_home(None).home
    bomb = data / "bomb.yaml"
    bomb.write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9))
        + "rules: [*j]\n",
        encoding="utf-8",
    )
    rule = (
        "  - name: 규칙 {n}\n    when: {{kind: state, device: living_ceiling, property: power, to: true}}\n"
        "    do: [{{kind: notify}}]\n"
    )
    big = data / "big.yaml"
    big.write_text("rules:\n" + "".join(rule.format(n=n) for n in range(100_000)), encoding="utf-8")
    thousand = data / "thousand.yaml"
    thousand.write_text("rules:\n" + "".join(rule.format(n=n) for n in range(1000)), encoding="utf-8")
    return {
        "alias_bomb": _measure_file(bomb, home),
        "ten_mb": _measure_file(big, home),
        "thousand_rules": _measure_file(thousand, home),
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rules", type=int, default=10_000)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        print("rules bombing:", asyncio.run(rules_bombing(args.rules, Path(directory) / "data")))
        print("rules files:", rules_files(Path(directory)))
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
