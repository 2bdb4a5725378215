"""CPU per command in a provider's worker and gateway: one of each, as processes, against a nats-server and a
PostgreSQL database of the bench's own, with commands sent one at a time (or at a low fixed rate).

    .venv/bin/python bench/provider_cpu_bench.py [--commands 500] [--homes 20] [--rate 0] [--profile 25]

Imports --homes homes made from the sample home, starts `jibsa provider worker` and `jibsa provider gateway`
(log level warning), opens every home and sends --warm commands first. Then it reads both processes' CPU
time (user + system, /proc), idles --idle-s seconds to learn what they spend doing nothing (the homes'
simulators tick), and sends --commands `POST /api/command` (set a light's brightness, an Idempotency-Key
each), one after the other (--rate 0) or --rate a second. CPU per command is the CPU of the run less the
idle rate over the run's length, over the commands.

With --profile N both processes run under cProfile, switched on for the measured commands only (SIGUSR1 /
SIGUSR2 to a small wrapper, `--child`), and the N functions of most own time per process are printed to
stderr (by the main thread's CPU time, so time spent waiting for a busy machine is not counted); the CPU
figures are then the profiler's, higher than without it.

Prints one JSON line: commands, worker_ms_per_command, gateway_ms_per_command, their idle rates (ms of CPU a
second), the commands' wall-clock p50/p99 (ms, one at a time: the floor, not the load), load average."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from jibsa.provider.database import prepare_database
from jibsa.provider.home_data import generated_homes, home_from_file, import_homes
from jibsa.provider.load import LIGHT, percentile
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.nats_server import NatsServer
from jibsa.testing.processes import free_port, lines_until
from provider_rig import cpu_s, on_own_database

SAMPLE_HOME = Path(__file__).parents[1] / "src" / "jibsa" / "data" / "sample_home.yaml"
SHARDS = 64


class _Process:
    """One `jibsa provider` process on its own settings file, optionally under the switchable profiler."""

    def __init__(self, folder: Path, kind: str, config: str, ready: str, profile: bool) -> None:
        path = folder / f"{kind}.yaml"
        path.write_text(config, encoding="utf-8")
        self.profile_path = folder / f"{kind}.prof" if profile else None
        wrapper = [__file__, "--child", str(self.profile_path)] if profile else ["-m", "jibsa.cli.main"]
        argv = [sys.executable, *wrapper, "provider", kind, "--config", str(path), "--log-level", "warning"]
        self.log = (folder / f"{kind}.log").open("w")
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=self.log, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        self.ready_line = lines_until(self.process, ready, 120)[-1]

    @property
    def cpu_s(self) -> float:
        return cpu_s([self.process.pid])

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()


async def _held_shards(http: httpx.AsyncClient, metrics: str) -> int:
    try:
        return len((await http.get(f"{metrics}/healthz")).json()["shards"])
    except (httpx.HTTPError, ValueError, KeyError):
        return 0


async def _command(http: httpx.AsyncClient, token: str, value: int) -> float:
    """One command, answered done; its wall-clock ms."""
    body = {"intent": "set", "targets": [LIGHT], "params": {"property": "brightness", "value": value}}
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    started = time.perf_counter()
    answer = await http.post("/api/command", json=body, headers=headers)
    ms = (time.perf_counter() - started) * 1000
    result = answer.json()
    if answer.status_code != 200 or not result.get("ok"):
        raise RuntimeError(f"a command failed: {answer.status_code} {result}")
    return ms


async def _commands(
    http: httpx.AsyncClient, tokens: dict[str, str], count: int, rate: float, first: int
) -> list[float]:
    """`count` commands over the homes in turn: one at a time (rate 0) or `rate` a second."""
    homes = sorted(tokens)
    jobs = [(tokens[homes[i % len(homes)]], 1 + (first + i) % 100) for i in range(count)]
    if rate <= 0:
        return [await _command(http, token, value) for token, value in jobs]
    started, tasks = time.monotonic(), []
    for n, (token, value) in enumerate(jobs):
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        tasks.append(asyncio.ensure_future(_command(http, token, value)))
    return list(await asyncio.gather(*tasks))


async def _bench(args: argparse.Namespace, folder: Path, db_url: str) -> dict[str, Any]:
    url = database_url(db_url)
    await prepare_database(url)
    engine = create_engine(url)
    template = home_from_file(SAMPLE_HOME.read_text(encoding="utf-8"), str(SAMPLE_HOME))
    tokens = (await import_homes(engine, generated_homes(template, args.homes, "c_"), owner="bench")).tokens
    await engine.dispose()
    server = NatsServer(folder / "nats").start()
    common = f"nats_url: {server.url}\ndatabase_url: {db_url}\nlease_ttl_s: 30\n"
    metrics = f"127.0.0.1:{free_port()}"
    started: list[_Process] = []
    try:
        worker_config = f"{common}worker: w1\nhome_template: {SAMPLE_HOME}\nmetrics_bind: {metrics}\n"
        started.append(worker := _Process(folder, "worker", worker_config, "serving", bool(args.profile)))
        gateway_config = f"{common}gateway_bind: 127.0.0.1:{free_port()}\nrequest_timeout_s: 10\n"
        if args.token_cache_s is not None:
            gateway_config += f"token_cache_s: {args.token_cache_s}\n"
        started.append(gateway := _Process(folder, "gateway", gateway_config, "listening on", bool(args.profile)))
        async with httpx.AsyncClient(base_url=gateway.ready_line.split()[-1], timeout=30) as http:
            while await _held_shards(http, f"http://{metrics}") < SHARDS:  # noqa: ASYNC110 (polls another process)
                await asyncio.sleep(0.2)
            for home, token in tokens.items():  # opens every home in the worker
                answer = await http.get("/api/state", headers={"Authorization": f"Bearer {token}"})
                if answer.status_code != 200:
                    raise RuntimeError(f"home {home} did not open: {answer.status_code} {answer.text}")
            await _commands(http, tokens, args.warm, 0, 0)
            return await _measure(args, http, tokens, worker, gateway)
    finally:
        for process in reversed(started):
            process.stop()
        server.stop()
        if args.profile:
            for process in started:
                _print_profile(process, args.profile, args.profile_out)


async def _measure(
    args: argparse.Namespace, http: httpx.AsyncClient, tokens: dict[str, str], worker: _Process, gateway: _Process
) -> dict[str, Any]:
    processes = (worker, gateway)
    idle_from, idle_began = [p.cpu_s for p in processes], time.monotonic()
    await asyncio.sleep(args.idle_s)
    idle_s = time.monotonic() - idle_began
    idle_rate = [(p.cpu_s - before) / idle_s for p, before in zip(processes, idle_from, strict=True)]
    if args.profile:
        for process in processes:
            process.signal(signal.SIGUSR1)
    before, began = [p.cpu_s for p in processes], time.monotonic()
    wall_ms = await _commands(http, tokens, args.commands, args.rate, args.warm)
    run_s = time.monotonic() - began
    spent = [p.cpu_s - b for p, b in zip(processes, before, strict=True)]
    if args.profile:
        for process in processes:
            process.signal(signal.SIGUSR2)

    def per_command(index: int) -> float:
        return round((spent[index] - idle_rate[index] * run_s) * 1000 / args.commands, 3)

    return {
        "commands": args.commands,
        "homes": args.homes,
        "rate": args.rate or "one at a time",
        "worker_ms_per_command": per_command(0),
        "gateway_ms_per_command": per_command(1),
        "worker_ms_per_command_raw": round(spent[0] * 1000 / args.commands, 3),
        "gateway_ms_per_command_raw": round(spent[1] * 1000 / args.commands, 3),
        "worker_idle_ms_per_s": round(idle_rate[0] * 1000, 2),
        "gateway_idle_ms_per_s": round(idle_rate[1] * 1000, 2),
        "commands_per_s": round(args.commands / run_s, 1),
        "p50_ms": round(percentile(wall_ms, 0.5), 1),
        "p99_ms": round(percentile(wall_ms, 0.99), 1),
        "profiled": bool(args.profile),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }


def _print_profile(process: _Process, top: int, keep: Path | None) -> None:
    path = process.profile_path
    if path is None or not path.exists():
        print(f"no profile at {path}", file=sys.stderr)
        return
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, keep / path.name)
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"===== {path.stem} =====\n{out.getvalue()}", file=sys.stderr)


def _child(profile_path: str, argv: Sequence[str]) -> None:
    """`jibsa` with a profiler that SIGUSR1 switches on and SIGUSR2 off (writing `profile_path`)."""
    profiler = cProfile.Profile(time.thread_time)  # CPU time: a starved machine's waits are not counted

    def on(_: int, __: FrameType | None) -> None:
        profiler.enable()

    def off(_: int, __: FrameType | None) -> None:
        profiler.disable()
        profiler.dump_stats(profile_path)

    signal.signal(signal.SIGUSR1, on)
    signal.signal(signal.SIGUSR2, off)
    from jibsa.cli.main import main as jibsa_main

    sys.exit(jibsa_main(list(argv)))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--homes", type=int, default=20)
    parser.add_argument("--warm", type=int, default=50, help="commands sent before the measured ones")
    parser.add_argument("--rate", type=float, default=0.0, help="commands a second (0: one at a time)")
    parser.add_argument("--idle-s", type=float, default=5.0, help="seconds to learn the idle CPU rate")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions")
    parser.add_argument("--token-cache-s", type=float, help="the gateway's token_cache_s (default: its own)")
    parser.add_argument("--profile-out", type=Path, help="keep the profiles (worker.prof, gateway.prof) here")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    result = on_own_database(args.postgres, "jibsa_cmdcpu", lambda folder, url, _name: _bench(args, folder, url))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
