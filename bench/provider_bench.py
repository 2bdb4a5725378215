"""Many homes on two provider workers over NATS and PostgreSQL: command latency, memory, and a worker
killed with SIGKILL mid-run.

    .venv/bin/python bench/provider_bench.py --homes 1000 --seconds 30 [--rate 200] [--kill-worker]

Starts its own nats-server (JetStream, a temporary store, a free port), a fresh PostgreSQL database with a
random name on --postgres (dropped after), and two `jibsa provider worker` processes whose homes are the
sample home under ids b-00000…; opens every home (one `state` request each: the time to load them), then
sends --rate commands a second to random homes over NATS request/reply (each sets a light's brightness
to a value new to that home, retried under the same request id until answered, one in flight per home).
With --kill-worker the first worker is killed with SIGKILL a third of the way in. Afterwards the store is
read: an acknowledged value missing from the light's history is lost; a value applied twice, or a request
with two audit rows, is applied twice.

Prints one JSON line: homes, commands, p50_ms, p99_ms, lost, applied_twice, failover_s (from the kill to
the last of its homes answering again; null without --kill-worker), rss_mb_per_1000_homes (the workers'
resident memory over their baseline with no homes), load_s, cpu, and the machine's load average.
Not yet driven: device events (0.2/s a home) and bursts; the gateway (commands go to NATS directly)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import nats

from jibsa.provider.load import Load, check, drive, percentile, read_start
from jibsa.provider.shards import shard_of
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.nats_server import NatsServer
from jibsa.testing.processes import free_port, lines_until

SAMPLE_HOME = Path(__file__).parents[1] / "src" / "jibsa" / "data" / "sample_home.yaml"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _health(port: int) -> dict[str, object]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
    data = await reader.read()
    writer.close()
    answer: dict[str, object] = json.loads(data.split(b"\r\n\r\n", 1)[1])
    return answer


class _Workers:
    def __init__(self, folder: Path, nats_url: str, db_url: str, ttl: float) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        self.ports: list[int] = []
        for name in ("wa", "wb"):
            port = free_port()
            config = folder / f"{name}.yaml"
            config.write_text(
                f"nats_url: {nats_url}\ndatabase_url: {db_url}\nlease_ttl_s: {ttl}\nworker: {name}\n"
                f"home_template: {SAMPLE_HOME}\nmetrics_bind: 127.0.0.1:{port}\n",
                encoding="utf-8",
            )
            argv = [sys.executable, "-m", "jibsa.cli.main", "provider", "worker", "--config", str(config)]
            log = (folder / f"{name}.log").open("w")
            process = subprocess.Popen(
                [*argv, "--log-level", "warning"], stdout=subprocess.PIPE, stderr=log, text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            lines_until(process, "serving", 120)
            self.processes.append(process)
            self.ports.append(port)

    async def shards(self) -> list[set[int]]:
        return [set(map(int, (await _health(p))["shards"])) for p in self.ports]  # type: ignore[call-overload]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()


async def _bench(args: argparse.Namespace, folder: Path, db_url: str) -> dict[str, object]:
    server = NatsServer(folder / "nats").start()
    workers = _Workers(folder, server.url, db_url, args.ttl)
    client = await nats.connect(server.url)
    engine = create_engine(database_url(db_url))
    try:
        while True:  # both workers hold shards, and every shard is held
            held = await workers.shards()
            if all(held) and len(held[0] | held[1]) == 64:
                break
            await asyncio.sleep(0.2)
        baseline = sum(_rss_mb(p.pid) for p in workers.processes)
        homes = [f"b-{n:05d}" for n in range(args.homes)]
        load = Load()
        started = time.monotonic()
        await read_start(client, homes, load)
        load_s = time.monotonic() - started
        loaded_rss = sum(_rss_mb(p.pid) for p in workers.processes)
        cpu_before = sum(_cpu_s(p.pid) for p in workers.processes)
        doomed = (await workers.shards())[0]
        running = asyncio.ensure_future(drive(client, load, args.seconds, args.rate))
        killed_at = None
        if args.kill_worker:
            await asyncio.sleep(args.seconds / 3)
            cpu_before -= _cpu_s(workers.processes[0].pid)
            killed_at = time.monotonic()
            workers.processes[0].send_signal(signal.SIGKILL)
        await running
        drive_s = time.monotonic() - started - load_s
        cpu = sum(_cpu_s(p.pid) for p in workers.processes if p.poll() is None) - cpu_before
        landed = await check(engine, load)
    finally:
        await client.close()
        await engine.dispose()
        workers.stop()
        server.stop()
    answered = [s for s in load.all if s.ok and s.answered is not None]
    latencies = [(s.answered - s.first_sent) * 1000 for s in answered]  # type: ignore[operator]
    failover_s = None
    if killed_at is not None:
        after = [s for s in answered if s.answered > killed_at and shard_of(s.home) in doomed]  # type: ignore[operator]
        failover_s = round(max((s.answered - max(s.first_sent, killed_at) for s in after), default=0.0), 2)  # type: ignore[operator]
        steady = [(s.answered - s.first_sent) * 1000 for s in answered if s.first_sent < killed_at]  # type: ignore[operator]
    else:
        steady = latencies
    return {
        "homes": args.homes,
        "commands": len(load.all),
        "answered_ok": len(answered),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "p99_before_kill_ms": round(percentile(steady, 0.99), 1),
        "lost": landed.lost,
        "applied_twice": landed.applied_twice,
        "unanswered": landed.unanswered,
        "failover_s": failover_s,
        "lease_ttl_s": args.ttl,
        "rss_mb_per_1000_homes": round((loaded_rss - baseline) / args.homes * 1000, 1),
        "rss_mb_workers": round(loaded_rss, 1),
        "rss_mb_workers_without_homes": round(baseline, 1),
        "load_s": round(load_s, 1),
        "rate": args.rate,
        "cpu_s_per_s": round(cpu / drive_s, 2),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }


async def _database(admin: str, create: bool, name: str) -> None:
    connection = await asyncpg.connect(admin)
    try:
        if create:
            await connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=200.0, help="commands a second, to random homes")
    parser.add_argument("--ttl", type=float, default=6.0, help="the workers' lease TTL (s)")
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    name = f"jibsa_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_database(args.postgres, True, name))
    try:
        with tempfile.TemporaryDirectory(prefix="jibsa-provider-bench-") as folder:
            db_url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
            result = asyncio.run(_bench(args, Path(folder), db_url))
    finally:
        asyncio.run(_database(args.postgres, False, name))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
