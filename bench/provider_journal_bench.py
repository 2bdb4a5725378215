"""The provider's write path alone: claims and journal batches on PostgreSQL, as two workers make them at
provider_bench's load, with no homes, hubs, NATS or gateway in the way.

    .venv/bin/python bench/provider_journal_bench.py [--homes 10000] [--rate 2000] [--commands 200] [--seconds 30]

Makes a fresh PostgreSQL database with a random name on --postgres (dropped after), prepares the provider
schema and the claims table, and starts --writers processes (the workers), each with a `Journal` and a claims
pool as a worker has. For --seconds each writer adds its share of --rate device changes a second (a motion
sensor's state and history row, as a hub hands them to the journal), ten times that for 10 s from 60 % of the
run (the burst, as provider_bench's), and its share of --commands requests a second: each claimed
(`Replies.claim`), then a light's state, an audit row and the reply added to the journal and waited for
(`Journal.durable`), as `Worker._apply_once` does. What the writers' Python costs is small next to a worker's
hub; what is measured is the database's side: claim and claim-to-durable latency (p50/p99, steady and in the
burst, ms), the rows written and PostgreSQL's CPU (this database's server processes, cores). Prints one JSON
line, the load average with it."""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import time
from typing import Any

import asyncpg

from jibsa.provider.database import prepare_database
from jibsa.provider.journal import Journal
from jibsa.provider.load import percentile
from jibsa.provider.replies import Replies, claims_pool, libpq_url
from jibsa.storage.engine import create_engine, database_url
from provider_rig import cpu_s, on_own_database

TICK_S = 0.01
BURST_TIMES = 10
BURST_S = 10.0


async def _writer(index: int, db_url: str, args: argparse.Namespace, began: float) -> dict[str, Any]:
    url = database_url(db_url)
    engine = create_engine(url)
    replies = Replies(engine)
    journal = Journal(libpq_url(url))
    await journal.start()
    claims = await claims_pool(url)
    homes = [f"b_{i:05d}" for i in range(index, args.homes, args.writers)]
    rng = random.Random(index)
    motion: dict[str, bool] = {}
    timings: list[tuple[float, float, float]] = []  # (sent, claim s, total s)
    tasks: set[asyncio.Task[None]] = set()
    burst = (args.seconds * 0.6, args.seconds * 0.6 + BURST_S)
    made = 0

    async def command(n: int) -> None:
        home = rng.choice(homes)
        sent = time.monotonic()
        claimed = await replies.claim(claims, home, f"r{index}-{n}")
        assert claimed is None
        claim_s = time.monotonic() - sent
        journal.state(home, "living_ceiling", {"on": False}, {"on": True, "brightness": n % 100}, time.time(),
                      cause={"kind": "command", "by": "owner"})  # fmt: skip
        journal.audit([{"home_id": home, "at": time.time(), "user_name": "owner", "role": "owner",
                        "source": "api", "action": "command", "detail": '{"device": "living_ceiling"}',
                        "ok": True, "result": '{"delivery": "done"}'}])  # fmt: skip
        journal.reply(home, f"r{index}-{n}", time.time(), '{"ok": true}')
        await journal.durable()
        timings.append((sent - began, claim_s, time.monotonic() - sent))

    await asyncio.sleep(max(0.0, began - time.monotonic()))
    owed_events = owed_commands = 0.0
    commands = 0
    last = time.monotonic()
    while (now := time.monotonic()) - began < args.seconds:
        elapsed, last = now - last, now
        at = now - began
        rate = args.rate * (BURST_TIMES if burst[0] <= at < burst[1] else 1)
        owed_events += rate / args.writers * elapsed
        owed_commands += args.commands / args.writers * elapsed
        _motion(journal, [rng.choice(homes) for _ in range(int(owed_events))], motion)
        made += int(owed_events)
        owed_events -= int(owed_events)
        for _ in range(int(owed_commands)):
            task = asyncio.create_task(command(commands))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            commands += 1
        owed_commands -= int(owed_commands)
        await asyncio.sleep(TICK_S)
    await asyncio.gather(*tasks)
    await journal.stop()
    await claims.close()
    await engine.dispose()
    stats = journal.stats
    return {"timings": timings, "events": made, "batches": stats.batches, "rows": stats.rows,
            "seconds": stats.seconds, "retries": stats.retries}  # fmt: skip


def _motion(journal: Journal, homes: list[str], motion: dict[str, bool]) -> None:
    """A motion sensor's change in each of `homes`, as a hub hands it to the journal."""
    for home in homes:
        old = motion.get(home, False)
        motion[home] = not old
        journal.state(home, "entrance_motion", {"motion": old, "battery": 90}, {"motion": not old, "battery": 90},
                      time.time())  # fmt: skip


def _run_writer(index: int, db_url: str, args: argparse.Namespace, began: float, out: Any) -> None:
    started = time.process_time()
    result = asyncio.run(_writer(index, db_url, args, began))
    result["cpu_s"] = time.process_time() - started
    out.put(result)


async def _sample_postgres(admin: str, name: str, used: dict[int, tuple[float, float]], waits: dict[str, int]) -> None:
    """Every 0.2 s: the CPU seconds of this database's server processes (a backend that closes keeps what
    it had used when last seen), and what each active statement waits on (a claim's, the journal's)."""
    connection = await asyncpg.connect(admin)
    try:
        while True:
            rows = await connection.fetch(
                "SELECT pid, state, wait_event_type, wait_event, left(query, 40) AS query FROM pg_stat_activity "
                "WHERE datname = $1",
                name,
            )
            for row in rows:
                now = cpu_s([row["pid"]])
                used[row["pid"]] = (used.get(row["pid"], (now, now))[0], now)
                if row["state"] == "active":
                    kind = "claim" if "claimed" in row["query"] else "journal"
                    what = f"{kind}:{row['wait_event_type'] or 'cpu'}:{row['wait_event'] or ''}"
                    waits[what] = waits.get(what, 0) + 1
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


async def _bench(args: argparse.Namespace, db_url: str, name: str) -> dict[str, Any]:
    url = database_url(db_url)
    await prepare_database(url)
    engine = create_engine(url)
    await Replies(engine).create_table()
    await engine.dispose()
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    began = time.monotonic() + 3.0
    processes = [
        context.Process(target=_run_writer, args=(i, db_url, args, began, out)) for i in range(args.writers)
    ]  # fmt: skip
    for process in processes:
        process.start()
    await asyncio.sleep(max(0.0, began - time.monotonic() + 1.0))
    wall = time.monotonic()
    used: dict[int, tuple[float, float]] = {}  # backend pid -> (CPU seconds when first seen, latest)
    waits: dict[str, int] = {}
    sampling = asyncio.ensure_future(_sample_postgres(args.postgres, name, used, waits))
    results = [await asyncio.to_thread(out.get) for _ in processes]
    sampling.cancel()
    await asyncio.gather(sampling, return_exceptions=True)
    pg_cores = sum(last - first for first, last in used.values()) / (time.monotonic() - wall)
    for process in processes:
        process.join()
    burst = (args.seconds * 0.6, args.seconds * 0.6 + BURST_S)
    timings = [t for r in results for t in r["timings"]]
    steady = [t for t in timings if not burst[0] <= t[0] < burst[1] + 2.0]
    in_burst = [t for t in timings if burst[0] <= t[0] < burst[1]]

    def ms(values: list[float], fraction: float) -> float:
        return round(percentile(values, fraction) * 1000, 1)

    batches = sum(r["batches"] for r in results)
    rows = sum(r["rows"] for r in results)
    return {
        "homes": args.homes, "rate": args.rate, "commands_s": args.commands, "seconds": args.seconds,
        "commands": len(timings), "events": sum(r["events"] for r in results),
        "claim_p50_ms": ms([t[1] for t in steady], 0.5), "claim_p99_ms": ms([t[1] for t in steady], 0.99),
        "p50_ms": ms([t[2] for t in steady], 0.5), "p99_ms": ms([t[2] for t in steady], 0.99),
        "claim_p99_burst_ms": ms([t[1] for t in in_burst], 0.99), "p99_burst_ms": ms([t[2] for t in in_burst], 0.99),
        "max_ms": ms([t[2] for t in timings], 1.0),
        "batches": batches, "rows": rows, "rows_per_batch": round(rows / max(1, batches), 1),
        "ms_per_batch": round(sum(r["seconds"] for r in results) / max(1, batches) * 1000, 1),
        "retries": sum(r["retries"] for r in results),
        "postgres_cores": round(pg_cores, 2), "writers_cpu_s": round(sum(r["cpu_s"] for r in results), 1),
        "waits": dict(sorted(waits.items(), key=lambda kv: -kv[1])[:12]),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--homes", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=2000.0, help="device changes a second, over every home")
    parser.add_argument("--commands", type=float, default=200.0, help="claimed requests a second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if args.seconds < 20:
        parser.error("--seconds: at least 20 (the burst starts at 60 % and lasts 10 s)")
    result = on_own_database(args.postgres, "jibsa_jbench", lambda _folder, url, name: _bench(args, url, name))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
