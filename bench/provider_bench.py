"""Many homes on a provider: one gateway and two workers over NATS and PostgreSQL, commands through the
gateway's HTTP, device events from the homes' simulators with a burst, and a worker killed mid-run.

    .venv/bin/python bench/provider_bench.py --homes 1000 --seconds 60 [--rate 200] [--kill-worker] [--clients 2]

Starts its own nats-server (JetStream, a temporary store, a free port) and a fresh PostgreSQL database with
a random name on --postgres (dropped after); imports --homes homes made from the sample home (ids
b_00000…, each with an owner and a token: the import time is `import_s`); starts two `jibsa provider
worker` processes and one `jibsa provider gateway`; opens every home through the gateway (`GET /api/state`:
`load_s`). Then, for --seconds:
- device events: the workers' simulators make 0.2 events/s a home (a motion sensor), and 10× that for 10 s
  from 60 % of the run (the burst);
- commands: --rate a second, `POST /api/command` with the home owner's token and an Idempotency-Key, each
  setting a light's brightness to a value new to its home, one in flight per home, retried under the same
  key until answered. A command counts as answered when the reply shows the light's own state holding the
  value (delivery "done"). The commands come from --clients load processes (bench/provider_load.py: each
  has its share of the homes and of the rate, and an aiohttp client), not from this one.
With --kill-worker the first worker is killed with SIGKILL a third of the way in. Afterwards the store is
read: an acknowledged value missing from the light's history is lost; a value applied twice, or a request
with two audit rows, is applied twice.

Prints one JSON line: homes, commands, p50_ms, p99_ms (steady: outside the burst, before any kill;
p50_before_burst_ms and p99_before_burst_ms of those sent before the burst began, the steady load alone, and
p99_after_burst_ms of those sent after it ended, while its backlog lasts),
p99_burst_ms, lost, applied_twice, failover_s (from the kill until the last of its homes answered again: per
home of its shards, its first command answered after the kill, from the kill or from when it was sent;
failover_p50_s the median home, failover_p90_s, failover_late_homes those later than TTL + 2 s,
failover_late their commands: when each was sent and answered, in seconds from the kill),
rss_mb_per_1000_homes (the workers' resident memory over their baseline with no homes), cpu (seconds of CPU
per second of the run, per process kind; PostgreSQL: this database's server
processes; bench_clients: the load processes; bench_parent: this process), runnable_waiting (per kind, how
many of its threads were ready to run but waiting for a core, on average: /proc's schedstat),
client_cpu_ms_per_command (the load processes' CPU per command), leases (each worker's lease changes and late
renewals during the run),
failover_shards_taken_s (from the kill until the survivor held every shard), load_s, open_cpu_ms_per_home (the
workers' CPU while the homes were opened, per home), import_s, the workers' step timings (claim, apply,
commit; mean and p99 from their histograms), the journal's batches, the machine's load average, and a
timeline (the commands' p50/p99 by the 10 s window they were sent in, the burst's marked)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
from nats.aio.client import Client as NATS
from prometheus_client.parser import text_string_to_metric_families

from jibsa.provider.database import prepare_database
from jibsa.provider.fleet import SUBJECT as SIMULATED_EVENTS
from jibsa.provider.home_data import generated_homes, home_from_file, import_homes
from jibsa.provider.load import Load, Sent, check, percentile
from jibsa.provider.shards import SHARDS, shard_of
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.nats_server import NatsServer
from jibsa.testing.processes import free_port, lines_until
from provider_load import Clients
from provider_rig import cpu_s, on_own_database, rss_mb, runnable_wait_s

SAMPLE_HOME = Path(__file__).parents[1] / "src" / "jibsa" / "data" / "sample_home.yaml"
EVENTS_PER_HOME_S = 0.2
BURST_TIMES = 10
BURST_S = 10.0


class _Processes:
    """Two workers and a gateway, as `jibsa provider` runs them, on one configuration file each."""

    def __init__(self, folder: Path, nats_url: str, db_url: str, ttl: float) -> None:
        self.workers: list[subprocess.Popen[str]] = []
        self.metrics: list[str] = []
        common = f"nats_url: {nats_url}\ndatabase_url: {db_url}\nlease_ttl_s: {ttl}\n"
        for name in ("wa", "wb"):
            port = free_port()
            config = f"{common}worker: {name}\nhome_template: {SAMPLE_HOME}\nmetrics_bind: 127.0.0.1:{port}\n"
            self.workers.append(self._start(folder, name, "worker", config, "serving")[0])
            self.metrics.append(f"http://127.0.0.1:{port}")
        config = f"{common}gateway_bind: 127.0.0.1:{free_port()}\nrequest_timeout_s: 3\n"
        self.gateway, ready = self._start(folder, "gw", "gateway", config, "listening on")
        self.gateway_url = ready.split()[-1]

    @staticmethod
    def _start(folder: Path, name: str, kind: str, config: str, ready: str) -> tuple[subprocess.Popen[str], str]:
        path = folder / f"{name}.yaml"
        path.write_text(config, encoding="utf-8")
        argv = [sys.executable, "-m", "jibsa.cli.main", "provider", kind, "--config", str(path)]
        log = (folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [*argv, "--log-level", "warning"], stdout=subprocess.PIPE, stderr=log, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        return process, lines_until(process, ready, 120)[-1]

    @property
    def all(self) -> list[subprocess.Popen[str]]:
        return [*self.workers, self.gateway]

    def stop(self) -> None:
        for process in self.all:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.all:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()


async def _shards(http: httpx.AsyncClient, processes: _Processes) -> list[set[int]]:
    return [set((await http.get(f"{m}/healthz")).json()["shards"]) for m in processes.metrics]


async def _events(nc: NATS, per_home_s: float) -> None:
    await nc.publish(SIMULATED_EVENTS, json.dumps({"per_home_s": per_home_s}).encode())
    await nc.flush()


async def _burst(nc: NATS, at_s: float, per_home_s: float, window: list[float]) -> None:
    await asyncio.sleep(at_s)
    window.append(time.monotonic())
    await _events(nc, per_home_s * BURST_TIMES)
    await asyncio.sleep(BURST_S)
    await _events(nc, per_home_s)
    window.append(time.monotonic())


async def _postgres_pids(admin: str, name: str) -> list[int]:
    connection = await asyncpg.connect(admin)
    try:
        rows = await connection.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", name)
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


async def _worker_figures(http: httpx.AsyncClient, processes: _Processes) -> dict[str, Any]:
    """The running workers' step timings (mean and bucket p99, ms) and journal counters, summed."""
    buckets: dict[str, dict[float, float]] = {}
    sums: dict[str, float] = {}
    journal: dict[str, float] = {}
    for process, base in zip(processes.workers, processes.metrics, strict=True):
        if process.poll() is not None:
            continue
        text = await _metrics_text(http, base)
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                step = sample.labels.get("step")
                if sample.name == "jibsa_worker_step_seconds_bucket" and step:
                    le = float(sample.labels["le"])
                    buckets.setdefault(step, {})[le] = buckets.get(step, {}).get(le, 0.0) + sample.value
                elif sample.name == "jibsa_worker_step_seconds_sum" and step:
                    sums[step] = sums.get(step, 0.0) + sample.value
                elif sample.name == "jibsa_worker_journal":
                    what = sample.labels["what"]
                    journal[what] = journal.get(what, 0.0) + sample.value
    steps = {}
    for step, counts in buckets.items():
        total = counts.get(float("inf"), 0.0)
        p99 = next((le for le, n in sorted(counts.items()) if total and n >= 0.99 * total), float("inf"))
        steps[step] = {"mean_ms": round(sums[step] / total * 1000, 1) if total else None,
                       "p99_ms_at_most": p99 * 1000 if p99 != float("inf") else "over 2000"}  # fmt: skip
    if journal.get("batches"):
        journal["rows_per_batch"] = round(journal["rows"] / journal["batches"], 1)
        journal["ms_per_batch"] = round(journal["seconds"] / journal["batches"] * 1000, 1)
    return {"steps": steps, "journal": journal, "gateway_nats_ms": await _gateway_wait_ms(http, processes)}


async def _metrics_text(http: httpx.AsyncClient, base: str) -> str:
    """A process's /metrics, or nothing when it is too busy to answer (a swamped gateway at 10,000 homes):
    its figures are missing from the line, the rest is still printed."""
    try:
        return (await http.get(f"{base}/metrics", timeout=60)).text
    except httpx.HTTPError:
        return ""


async def _gateway_wait_ms(http: httpx.AsyncClient, processes: _Processes) -> float | None:
    """The mean time the gateway waited for a worker's answer to a command (NATS request to reply)."""
    text = await _metrics_text(http, processes.gateway_url)
    found = {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("jibsa_gateway_request_seconds_") and sample.labels.get("kind") == "command"
    }
    count = found.get("jibsa_gateway_request_seconds_count")
    return round(found["jibsa_gateway_request_seconds_sum"] / count * 1000, 1) if count else None


def _figures(load: Load, burst: list[float], killed_at: float | None, doomed: set[int], ttl: float) -> dict[str, Any]:
    answered = [s for s in load.all if s.ok and s.answered is not None]

    def ms(s: Sent) -> float:
        return (s.answered - s.first_sent) * 1000  # type: ignore[operator]

    in_burst = [s for s in answered if burst and burst[0] <= s.first_sent < burst[-1]]
    steady = [s for s in answered if s not in in_burst and (killed_at is None or s.first_sent < killed_at)]
    before = [s for s in steady if not burst or s.first_sent < burst[0]]  # the steady load alone
    after = [s for s in steady if burst and s.first_sent >= burst[-1]]  # in the backlog the burst left
    return {
        "commands": len(load.all),
        "answered_ok": len(answered),
        "p50_ms": round(percentile([ms(s) for s in steady], 0.5), 1),
        "p99_ms": round(percentile([ms(s) for s in steady], 0.99), 1),
        "p50_burst_ms": round(percentile([ms(s) for s in in_burst], 0.5), 1),
        "p99_burst_ms": round(percentile([ms(s) for s in in_burst], 0.99), 1),
        "p99_all_ms": round(percentile([ms(s) for s in answered], 0.99), 1),
        "p50_before_burst_ms": round(percentile([ms(s) for s in before], 0.5), 1),
        "p99_before_burst_ms": round(percentile([ms(s) for s in before], 0.99), 1),
        "p99_after_burst_ms": round(percentile([ms(s) for s in after], 0.99), 1),
        **_failover(load, killed_at, doomed, ttl),
    }


def _failover(load: Load, killed_at: float | None, doomed: set[int], ttl: float) -> dict[str, Any]:
    """failover_s: from the kill until the last of the killed worker's homes answered again. Per home of its
    shards, the first command answered after the kill counts, from the kill (or from when it was sent, if
    later); the later commands of a home that answers again are the steady latency, not the failover."""
    if killed_at is None:
        return {"failover_s": None}
    first: dict[str, float] = {}
    late: list[tuple[float, float]] = []  # (sent, answered) from the kill, of the homes later than TTL + 2 s
    for s in sorted(load.all, key=lambda s: s.answered or 0.0):
        if s.ok and s.answered is not None and s.answered > killed_at and shard_of(s.home) in doomed:
            if s.home in first:
                continue
            first[s.home] = gap = s.answered - max(s.first_sent, killed_at)
            if gap > ttl + 2.0:
                late.append((round(s.first_sent - killed_at, 2), round(s.answered - killed_at, 2)))
    gaps = sorted(first.values())
    asked = {s.home for s in load.all if shard_of(s.home) in doomed and (s.answered or float("inf")) > killed_at}
    return {
        "failover_s": round(gaps[-1], 2) if gaps else None,
        "failover_p50_s": round(percentile(gaps, 0.5), 2) if gaps else None,
        "failover_p90_s": round(percentile(gaps, 0.9), 2) if gaps else None,  # a tail of a few homes, or of many
        "failover_late_homes": len(late),  # homes later than TTL + 2 s
        "failover_late": late[:20],  # their commands: when sent and when answered, from the kill (s)
        "failover_homes": len(gaps),  # of failover_homes_asked: its homes asked something after the kill
        "failover_homes_asked": len(asked),
    }


async def _import(engine: Any, homes: int) -> tuple[dict[str, str], float]:
    started = time.monotonic()
    template = home_from_file(SAMPLE_HOME.read_text(encoding="utf-8"), str(SAMPLE_HOME))
    imported = await import_homes(engine, generated_homes(template, homes, "b_"), owner="bench")
    return imported.tokens, time.monotonic() - started


@dataclass
class _Rig:
    http: httpx.AsyncClient  # the workers' and the gateway's /healthz and /metrics
    nc: NATS
    processes: _Processes
    clients: Clients
    kinds: dict[str, list[int]]  # process kind -> its pids, for CPU


async def _run(args: argparse.Namespace, rig: _Rig, load: Load) -> dict[str, Any]:
    """The timed part: commands, events and their burst, and the kill; the figures of the commands and CPU."""
    http, nc, processes, kinds = rig.http, rig.nc, rig.processes, rig.kinds
    doomed = (await _shards(http, processes))[0]
    leases_before = await _leases(http, processes)
    began = time.monotonic() + 1.0  # the load processes start together, on the clock every process shares
    cpu_before = {kind: cpu_s(pids) for kind, pids in kinds.items()}
    waited_before = {kind: runnable_wait_s(pids) for kind, pids in kinds.items()}
    parent_before = time.process_time()
    burst: list[float] = []
    bursting = asyncio.ensure_future(_burst(nc, began - time.monotonic() + args.seconds * 0.6, args.events, burst))
    running = asyncio.ensure_future(rig.clients.drive(load, began, args.seconds, args.rate))
    killed_at = taken_s = None
    if args.kill_worker:
        await asyncio.sleep(began - time.monotonic() + args.seconds / 3)
        cpu_s([processes.workers[0].pid])  # its CPU until the kill, counted (as last read) once it is gone
        killed_at = time.monotonic()
        processes.workers[0].send_signal(signal.SIGKILL)
        taken_s = await _all_shards_taken(http, processes.metrics[1], killed_at)
    client_cpu_s = await running
    await bursting
    drive_s = time.monotonic() - began
    cpu = {kind: round((cpu_s(pids) - cpu_before[kind]) / drive_s, 2) for kind, pids in kinds.items()}
    waited = {kind: round((runnable_wait_s(pids) - waited_before[kind]) / drive_s, 2) for kind, pids in kinds.items()}
    cpu["bench_clients"] = round(client_cpu_s / drive_s, 2)
    cpu["bench_parent"] = round((time.process_time() - parent_before) / drive_s, 2)
    leases_after = await _leases(http, processes)
    return {
        **_figures(load, burst, killed_at, doomed, args.ttl),
        "cpu": cpu,
        "runnable_waiting": waited,  # per kind: its threads ready to run but waiting for a core, on average
        "client_cpu_ms_per_command": round(client_cpu_s * 1000 / max(1, len(load.all)), 2),
        "client_cpu_ms_per_post": round(client_cpu_s * 1000 / max(1, rig.clients.posts), 2),
        "client_processes": args.clients,
        "leases": {k: leases_after[k] - leases_before.get(k, 0) for k in leases_after},  # during the run
        "failover_shards_taken_s": taken_s,
        "timeline": _timeline(load, began, burst),
    }


def _timeline(load: Load, began: float, burst: list[float], window_s: float = 10.0) -> list[dict[str, Any]]:
    """The commands by when they were sent, window by window from the start (`at_s`): how many, how many
    answered, and the answered ones' p50 and p99 (ms); `burst` marks a window the burst overlaps. It tells a
    backlog the burst left behind from latency the steady load makes by itself."""
    windows: dict[int, list[Sent]] = {}
    for s in load.all:
        windows.setdefault(int((s.first_sent - began) // window_s), []).append(s)
    timeline = []
    for index in sorted(windows):
        sent = windows[index]
        start, end = began + index * window_s, began + (index + 1) * window_s
        answered = [(s.answered - s.first_sent) * 1000 for s in sent if s.ok and s.answered is not None]
        timeline.append({
            "at_s": round(index * window_s), "sent": len(sent), "answered": len(answered),
            "p50_ms": round(percentile(answered, 0.5), 1), "p99_ms": round(percentile(answered, 0.99), 1),
            "burst": bool(burst) and burst[0] < end and start < burst[-1],
        })  # fmt: skip
    return timeline


async def _all_shards_taken(http: httpx.AsyncClient, survivor: str, since: float) -> float:
    """Seconds from `since` until the surviving worker holds every shard (its leases, before its homes)."""
    while True:
        try:
            if len((await http.get(f"{survivor}/healthz")).json()["shards"]) == SHARDS:
                return round(time.monotonic() - since, 2)
        except httpx.HTTPError:  # too busy to answer in time: ask again
            continue
        await asyncio.sleep(0.1)


async def _leases(http: httpx.AsyncClient, processes: _Processes) -> dict[str, float]:
    """Each running worker's shards taken and given up so far, late lease renewals, replays and duplicates
    (jibsa_worker_lease_changes_total, jibsa_worker_lease_late_renewals): {"wa changes": n, "wa late": n}."""
    found: dict[str, float] = {}
    names = {"jibsa_worker_lease_changes_total": "changes", "jibsa_worker_lease_late_renewals": "late",
             "jibsa_worker_replayed_total": "replayed", "jibsa_worker_duplicates_total": "duplicates"}  # fmt: skip
    for process, base in zip(processes.workers, processes.metrics, strict=True):
        if process.poll() is not None:
            continue
        for family in text_string_to_metric_families(await _metrics_text(http, base)):
            for sample in family.samples:
                if sample.name in names:
                    found[f"{sample.labels['worker']} {names[sample.name]}"] = sample.value
    return found


async def _bench(args: argparse.Namespace, folder: Path, db_url: str, db_name: str) -> dict[str, Any]:
    url = database_url(db_url)
    await prepare_database(url)
    engine = create_engine(url)
    tokens, import_s = await _import(engine, args.homes)
    server = NatsServer(folder / "nats").start()
    processes = _Processes(folder, server.url, db_url, args.ttl)
    clients = Clients(processes.gateway_url, tokens, args.clients)
    clients.start()
    nc = await nats.connect(server.url)
    http = httpx.AsyncClient(timeout=30)
    try:
        while True:  # both workers hold shards, and every shard is held
            held = await _shards(http, processes)
            if all(held) and len(held[0] | held[1]) == SHARDS:
                break
            await asyncio.sleep(0.2)
        baseline = sum(rss_mb(p.pid) for p in processes.workers)
        load = Load()
        started, opening_cpu = time.monotonic(), cpu_s([p.pid for p in processes.workers])
        await clients.open_homes(load)
        load_s = time.monotonic() - started
        open_cpu_ms = (cpu_s([p.pid for p in processes.workers]) - opening_cpu) * 1000 / args.homes
        loaded_rss = sum(rss_mb(p.pid) for p in processes.workers)
        await _events(nc, args.events)
        await asyncio.sleep(2.0)  # the event load settles before the clock starts
        kinds = {"workers": [p.pid for p in processes.workers], "gateway": [processes.gateway.pid],
                 "nats": [server.process.pid] if server.process else [],
                 "postgres": await _postgres_pids(args.postgres, db_name)}  # fmt: skip
        figures = await _run(args, _Rig(http, nc, processes, clients, kinds), load)
        await _events(nc, 0.0)
        workers = await _worker_figures(http, processes)
        landed = await check(engine, load)
    finally:
        clients.stop()
        await http.aclose()
        await nc.close()
        await engine.dispose()
        processes.stop()
        server.stop()
    return {
        "homes": args.homes,
        **figures,
        "lost": landed.lost,
        "applied_twice": landed.applied_twice,
        "unanswered": landed.unanswered,
        "lease_ttl_s": args.ttl,
        "rss_mb_per_1000_homes": round((loaded_rss - baseline) / args.homes * 1000, 1),
        "rss_mb_workers": round(loaded_rss, 1),
        "rate": args.rate,
        "events_per_home_s": args.events,
        "load_s": round(load_s, 1),
        "open_cpu_ms_per_home": round(open_cpu_ms, 1),  # the workers' CPU while the homes were opened
        "import_s": round(import_s, 1),
        **workers,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=200.0, help="commands a second, to random homes")
    parser.add_argument("--ttl", type=float, default=6.0, help="the workers' lease TTL (s)")
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument(
        "--events", type=float, default=EVENTS_PER_HOME_S, help="device events a second per home (10× in the burst)"
    )
    parser.add_argument("--clients", type=int, default=2, help="load processes, each with a share of the homes")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if args.seconds < 30:
        parser.error("--seconds: at least 30 (the burst starts at 60 % and lasts 10 s)")
    result = on_own_database(args.postgres, "jibsa_bench", lambda folder, url, name: _bench(args, folder, url, name))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
