"""What homes cost a worker while they sit idle, and what opening them costs: one `jibsa provider worker`
(holding all 64 shards) on its own nats-server and its own PostgreSQL database.

    .venv/bin/python bench/provider_idle_bench.py --homes 2000 [--idle-seconds 30] [--source rows|template]

Imports --homes homes made from the sample home (into the homes table; `--source template` gives the worker
the sample home as its `home_template` instead), starts the worker, measures its CPU with no home open
(the baseline: leases, the shards' replay loops), opens every home with one `state` request over NATS
(64 at a time), then measures its CPU again while the homes sit idle. Prints one JSON line: homes, open_s
(wall clock), open_cpu_ms_per_home (the worker's CPU while opening, per home: steadier than open_s on a
shared machine), idle_cpu_cores_per_1000_homes (over the baseline), rss_mb_per_1000_homes, the load
average and the figures behind them. The database is made with a random name on --postgres and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import nats
from nats.aio.client import Client as NATS

from jibsa.domain import Role
from jibsa.provider.database import prepare_database
from jibsa.provider.home_data import generated_homes, home_from_file, import_homes
from jibsa.provider.shards import command_subject
from jibsa.provider.wire import Asker, Reply, Request
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.nats_server import NatsServer
from jibsa.testing.processes import free_port, lines_until, stop
from provider_rig import cpu_s, on_own_database, rss_mb

SAMPLE_HOME = Path(__file__).parents[1] / "src" / "jibsa" / "data" / "sample_home.yaml"
SHARDS = 64
OPEN_AT_ONCE = 64


async def _idle_cores(pid: int, seconds: float) -> float:
    """The worker's CPU over `seconds` of wall clock, in cores."""
    cpu, began = cpu_s([pid]), time.monotonic()
    await asyncio.sleep(seconds)
    return (cpu_s([pid]) - cpu) / (time.monotonic() - began)


def _start_worker(folder: Path, nats_url: str, db_url: str, source: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    config = (
        f"nats_url: {nats_url}\ndatabase_url: {db_url}\nlease_ttl_s: 30\nworker: idle\n"
        f"metrics_bind: 127.0.0.1:{port}\n" + (f"home_template: {SAMPLE_HOME}\n" if source == "template" else "")
    )
    path = folder / "worker.yaml"
    path.write_text(config, encoding="utf-8")
    argv = [sys.executable, "-m", "jibsa.cli.main", "provider", "worker", "--config", str(path)]
    log = (folder / "worker.log").open("w")
    process = subprocess.Popen(
        [*argv, "--log-level", "warning"], stdout=subprocess.PIPE, stderr=log, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lines_until(process, "serving", 120)
    return process, f"http://127.0.0.1:{port}"


async def _all_shards(metrics: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):  # a minute at most
            if len((await http.get(f"{metrics}/healthz")).json()["shards"]) == SHARDS:
                return
            await asyncio.sleep(0.1)
    raise RuntimeError("the worker did not take every shard within a minute")


async def _open(nc: NATS, home_ids: Sequence[str]) -> None:
    """One `state` request per home (which opens it), OPEN_AT_ONCE at a time; a failed reply is an error."""
    queue = list(reversed(home_ids))
    asker = Asker("bench", Role.OWNER, "cli")

    async def one_by_one() -> None:
        while queue:
            home_id = queue.pop()
            request = Request(uuid.uuid4().hex, home_id, asker, "state")
            answer = await nc.request(command_subject(home_id), request.to_bytes(), timeout=120)
            reply = Reply.from_bytes(answer.data)
            if not reply.ok:
                raise RuntimeError(f"home {home_id}: {reply.code} {reply.message}")

    await asyncio.gather(*(one_by_one() for _ in range(OPEN_AT_ONCE)))


async def _bench(args: argparse.Namespace, folder: Path, db_url: str) -> dict[str, Any]:
    url = database_url(db_url)
    await prepare_database(url)
    engine = create_engine(url)
    template = home_from_file(SAMPLE_HOME.read_text(encoding="utf-8"), str(SAMPLE_HOME))
    home_ids = [h.id for h in generated_homes(template, args.homes, "i_")]
    if args.source == "rows":
        await import_homes(engine, generated_homes(template, args.homes, "i_"))
    await engine.dispose()
    server = NatsServer(folder / "nats").start()
    worker, metrics = _start_worker(folder, server.url, db_url, args.source)
    nc = await nats.connect(server.url)
    try:
        await _all_shards(metrics)
        await asyncio.sleep(2.0)
        baseline_rss = rss_mb(worker.pid)
        baseline_cores = await _idle_cores(worker.pid, args.baseline_seconds)
        cpu, began = cpu_s([worker.pid]), time.monotonic()
        await _open(nc, home_ids)
        open_s, open_cpu_s = time.monotonic() - began, cpu_s([worker.pid]) - cpu
        await asyncio.sleep(3.0)  # what the homes started settles (first reports written)
        loaded_rss = rss_mb(worker.pid)
        idle_cores = await _idle_cores(worker.pid, args.idle_seconds)
    finally:
        await nc.close()
        stop(worker)  # as Ctrl-C: the worker hands its shards back
        server.stop()
    thousands = args.homes / 1000
    return {
        "homes": args.homes,
        "source": args.source,
        "open_s": round(open_s, 1),
        "open_cpu_ms_per_home": round(open_cpu_s / args.homes * 1000, 2),
        "idle_cpu_cores_per_1000_homes": round((idle_cores - baseline_cores) / thousands, 4),
        "rss_mb_per_1000_homes": round((loaded_rss - baseline_rss) / thousands, 1),
        "idle_cores": round(idle_cores, 4),
        "baseline_cores": round(baseline_cores, 4),
        "rss_mb": round(loaded_rss, 1),
        "baseline_rss_mb": round(baseline_rss, 1),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--idle-seconds", type=float, default=30.0)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--source", choices=("rows", "template"), default="rows", help="where the worker reads homes")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    result = on_own_database(args.postgres, "jibsa_idle", lambda folder, url, _name: _bench(args, folder, url))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
