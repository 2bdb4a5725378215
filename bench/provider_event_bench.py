"""What a device event costs a provider's worker: CPU per event, measured in one worker process.

    .venv/bin/python bench/provider_event_bench.py --homes 1000 --rate 2000 --seconds 20 [--rules 2] [--listen]

Starts its own nats-server (JetStream, a temporary store, a free port) and a fresh PostgreSQL database with a
random name on --postgres (dropped after), and runs one `jibsa provider worker` in this process (so that
its CPU is this process's, and cProfile sees it): it leases every shard and opens --homes homes made from
the sample home (ids e_00000…). With --rules K each home first gets K rules that watch other devices than
the motion sensor the events move (a door, the rooms' temperature: a home with rules that these events do
not concern). A worker publishes the events of homes a gateway says are watched (a WebSocket open): without
--listen nobody watches, with --listen a second process watches every home and subscribes to every home's
`.evt` subject, as gateways with a WebSocket open on each home would.

Then, for --seconds each:
- idle: no events; the CPU the open homes take by themselves (their simulators tick);
- driven: --rate events a second over all the homes (`jibsa.sim.events`, as provider_bench drives them);
- profiled: driven again under cProfile (not counted in the figures; its top list is printed).

`us_per_event` is (driven CPU - idle CPU) / events made, CPU being this process's user+system seconds (every
thread). `rows_per_event` checks the history rows that landed in the database for the events made (each
motion change is one row; 1.0 when none is lost); `evt_messages_per_event` the messages the --listen process
got per motion event (the motion event, and what the simulator's other devices reported meanwhile);
`events_unwatched` the events not published for want of a watcher. Prints one JSON line, the load average
with it."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import nats

from jibsa.provider.database import prepare_database
from jibsa.provider.fleet import SUBJECT as SIMULATED_EVENTS
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.worker import Worker
from jibsa.storage.engine import database_url
from jibsa.testing.nats_server import NatsServer
from provider_rig import on_own_database

SAMPLE_HOME = Path(__file__).parents[1] / "src" / "jibsa" / "data" / "sample_home.yaml"
SHARDS = 64
WATCH_S = 3.0  # a worker publishes every event this long after taking its shards (then only watched homes')
# Rules the events never set off: they watch other devices of the sample home than the motion sensor.
_RULES = [
    {"name": "door open", "when": {"kind": "state", "device": "front_door", "property": "lock", "to": "unlocked"},
     "do": [{"kind": "notify", "to": [], "message": "the door is open"}]},
    {"name": "ac on", "when": {"kind": "state", "device": "living_ac", "property": "power", "to": True},
     "do": [{"kind": "command", "intent": "turn_on", "targets": ["living_purifier"]}]},
]  # fmt: skip
_LISTENER = """
import asyncio, sys, nats
from jibsa.provider.shards import watch_subject
async def main():
    nc = await nats.connect(sys.argv[1])
    homes, every_s = [f"e_{i:05d}" for i in range(int(sys.argv[2]))], float(sys.argv[3])
    count = 0
    async def got(message):
        nonlocal count
        count += 1
    await nc.subscribe("jibsa.*.*.evt", cb=got)
    async def watch():
        while True:
            for home in homes:
                await nc.publish(watch_subject(home), b"")
            await nc.flush()
            await asyncio.sleep(every_s)
    watching = asyncio.create_task(watch())
    await asyncio.sleep(1.0)
    print("listening", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    watching.cancel()
    await nc.flush()
    print(count, flush=True)
    await nc.close()
asyncio.run(main())
"""


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system


async def _order(nc: Any, per_home_s: float) -> None:
    await nc.publish(SIMULATED_EVENTS, json.dumps({"per_home_s": per_home_s}).encode())
    await nc.flush()


async def _phase(worker: Worker, nc: Any, per_home_s: float, seconds: float) -> tuple[float, int]:
    """CPU seconds and events made in `seconds` at `per_home_s`, after 2 s to settle."""
    await _order(nc, per_home_s)
    await asyncio.sleep(2.0)
    made, cpu = _made(worker), _cpu_s()
    await asyncio.sleep(seconds)
    return _cpu_s() - cpu, _made(worker) - made


def _made(worker: Worker) -> int:
    events = worker.health()["simulated_events"]
    return int(events["made"]) if events else 0


async def _add_rules(worker: Worker, homes: list[str], count: int) -> None:
    from jibsa.rules.schema import read_rule

    for home_id in homes:
        home = await worker.cell.home(home_id)
        for data in _RULES[:count]:
            await home.rules.add(read_rule(data, home.hub.home, "bench rule", home.rules.kinds))


async def _history_rows(url: str, prefix: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return int(
            await connection.fetchval(
                "SELECT count(*) FROM state_history WHERE device_id = 'entrance_motion' AND home_id LIKE $1 "
                "AND old->'motion' IS DISTINCT FROM new->'motion'",
                f"{prefix}%",
            )
        )
    finally:
        await connection.close()


def _top(profile: cProfile.Profile, lines: int) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    rows = [line.strip() for line in out.getvalue().splitlines() if line.strip()[:1].isdigit()]
    return [" ".join(row.split()[1:2] + row.split()[5:]) for row in rows][:lines]


async def _start(args: argparse.Namespace, worker: Worker) -> tuple[list[str], float]:
    """The worker holding every shard, and its homes open (with their rules): the homes and the seconds."""
    await worker.start()
    while True:
        if len(worker.shards) == SHARDS:
            break
        await asyncio.sleep(0.2)
    homes = [f"e_{i:05d}" for i in range(args.homes)]
    started = time.monotonic()
    await asyncio.gather(*(worker.cell.home(h) for h in homes))
    open_s = time.monotonic() - started
    await _add_rules(worker, homes, args.rules)
    return homes, open_s


async def _listener(url: str, homes: int) -> asyncio.subprocess.Process:
    """Another process that watches every home, as gateways with a WebSocket open on each would."""
    listener = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _LISTENER, url, str(homes), str(WATCH_S / 3),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert listener.stdout is not None
    await listener.stdout.readline()  # "listening"
    return listener


async def _profiled(args: argparse.Namespace, nc: Any) -> list[str]:
    """Driven again under cProfile: the top list (and the whole profile in --profile-out)."""
    await _order(nc, args.rate / args.homes)
    await asyncio.sleep(2.0)
    profile = cProfile.Profile()
    profile.enable()
    await asyncio.sleep(args.seconds)
    profile.disable()
    await _order(nc, 0.0)
    if args.profile_out:
        profile.dump_stats(args.profile_out)
    return _top(profile, args.top)


async def _measure(args: argparse.Namespace, worker: Worker, nc: Any, db_url: str) -> dict[str, Any]:
    rows_before = await _history_rows(db_url, "e_")
    idle_cpu, _ = await _phase(worker, nc, 0.0, args.seconds)
    made_before = _made(worker)
    driven_cpu, events = await _phase(worker, nc, args.rate / args.homes, args.seconds)
    await _order(nc, 0.0)
    top = await _profiled(args, nc) if args.profile else []
    await asyncio.sleep(1.0)
    assert worker._journal is not None
    await worker._journal.durable()
    made = _made(worker) - made_before
    rows = await _history_rows(db_url, "e_") - rows_before
    stats = worker._journal.stats
    return {
        "events": events,
        "events_per_s": round(events / args.seconds, 1),
        "idle_cores": round(idle_cpu / args.seconds, 3),
        "driven_cores": round(driven_cpu / args.seconds, 3),
        "us_per_event": round((driven_cpu - idle_cpu) / events * 1e6, 1) if events else None,
        "rows_per_event": round(rows / made, 3) if made else None,
        "made": made,
        "journal": {"batches": stats.batches, "rows": stats.rows, "dropped": stats.dropped},
        "profile_top": top,
    }


async def _bench(args: argparse.Namespace, folder: Path, db_url: str) -> dict[str, Any]:
    await prepare_database(database_url(db_url))
    server = NatsServer(folder / "nats").start()
    settings = ProviderSettings(
        nats_url=server.url, database_url=db_url, worker="ev", home_template=str(SAMPLE_HOME), lease_ttl_s=30.0,
        events_watch_s=WATCH_S,
    )  # fmt: skip
    worker = Worker(settings)
    nc = await nats.connect(server.url)
    listener = None
    try:
        _, open_s = await _start(args, worker)
        listener = await _listener(server.url, args.homes) if args.listen else None
        figures = await _measure(args, worker, nc, db_url)
        heard = None
        if listener is not None and figures["made"]:
            said, _ = await listener.communicate(b"")
            heard = round(int(said.split()[-1]) / figures["made"], 3)
        return {
            "homes": args.homes, "rate": args.rate, "seconds": args.seconds, "rules_per_home": args.rules,
            "listening": args.listen, **figures, "open_s": round(open_s, 1),
            "evt_messages_per_event": heard, "events_unwatched": worker.events_unwatched,
            "loadavg": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(),
        }  # fmt: skip
    finally:
        if listener is not None and listener.returncode is None:
            listener.kill()
            await listener.wait()
        await nc.close()
        await worker.stop()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=2000.0, help="device events a second, over all the homes")
    parser.add_argument("--seconds", type=float, default=20.0, help="of each phase (idle, driven, profiled)")
    parser.add_argument("--rules", type=int, default=0, choices=range(len(_RULES) + 1), help="rules per home")
    parser.add_argument("--listen", action="store_true", help="a subscriber on every home's events")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--top", type=int, default=25, help="lines of the profile's top list")
    parser.add_argument("--profile-out", default="", help="also keep the profile here (pstats file)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    figures = on_own_database(args.postgres, "jibsa_events", lambda folder, url, _name: _bench(args, folder, url))
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
