"""kill -9 of `jibsa serve` (the real process) in the middle of acknowledged writes, on SQLite or PostgreSQL.

    .venv/bin/python bench/kill_bench.py [--backend sqlite|postgresql] [--db URL] [--kills 6]

Each round starts the server on one data directory (and, for PostgreSQL, one database made for the run
and dropped after it), checks that every change acknowledged before the last kill is there, then drives
writes over HTTP with the owner token: one client per light setting its brightness to a new value each
time, and one client adding one-hour timers. After a random 1–4 s it sends SIGKILL while they run.

A device's change is lost when, after the restart, its brightness is neither the last value answered
200 ok nor the one in flight at the kill; a timer is lost when its acknowledged id is not pending.
Prints one JSON line: kills, acknowledged changes and timers, lost, the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from jibsa.domain import DeviceType
from jibsa.home_file import load_home
from jibsa.testing.processes import free_port, serve_argv, start

LIGHTS = tuple(d.id for d in load_home(None).home.devices if d.type is DeviceType.LIGHT)  # the sample home's


@dataclass
class Ledger:
    """What the server acknowledged, and what was in flight when it was killed."""

    acked: dict[str, int] = field(default_factory=dict)  # light → last brightness answered ok
    in_flight: dict[str, int] = field(default_factory=dict)
    jobs: set[str] = field(default_factory=set)
    acknowledged_changes: int = 0
    lost: list[str] = field(default_factory=list)


def start_server(data: Path, port: int, db: str | None) -> tuple[subprocess.Popen[str], list[str]]:
    return start(serve_argv(data, port, *(["--db", db] if db else [])), "jibsa: ", timeout=120)


async def check(client: httpx.AsyncClient, ledger: Ledger, kill: int) -> None:
    for light in LIGHTS:
        if light not in ledger.acked:
            continue
        state = (await client.get(f"/api/devices/{light}")).json()["state"]
        allowed = {ledger.acked[light], ledger.in_flight.get(light, ledger.acked[light])}
        if state.get("brightness") not in allowed:
            ledger.lost.append(
                f"kill {kill}: {light} brightness {state.get('brightness')}, acknowledged {ledger.acked[light]}"
            )
        else:  # the one in flight may have landed: it is what the next round must keep
            ledger.acked[light] = state["brightness"]
    ledger.in_flight.clear()
    pending = {job["id"] for job in (await client.get("/api/jobs")).json()}
    for job in sorted(ledger.jobs - pending):
        ledger.lost.append(f"kill {kill}: timer {job} acknowledged, not pending")


async def drive(client: httpx.AsyncClient, ledger: Ledger, stop: asyncio.Event) -> None:
    async def light_writer(light: str) -> None:
        while not stop.is_set():
            value = random.randint(1, 100)
            while value == ledger.acked.get(light):
                value = random.randint(1, 100)
            ledger.in_flight[light] = value
            try:
                reply = await client.post(
                    f"/api/devices/{light}/commands",
                    json={"intent": "set", "params": {"property": "brightness", "value": value}},
                )
            except httpx.HTTPError:
                return  # killed: this one stays in flight
            if reply.status_code == 200 and reply.json()["ok"]:
                ledger.acked[light] = value
                ledger.acknowledged_changes += 1
            ledger.in_flight.pop(light, None)

    async def timer_writer() -> None:
        while not stop.is_set():
            try:
                reply = await client.post(
                    "/api/devices/boiler/commands", json={"intent": "turn_off", "params": {"delay_s": 3600}}
                )
            except httpx.HTTPError:
                return
            if reply.status_code == 200 and reply.json().get("scheduled"):
                ledger.jobs.add(reply.json()["scheduled"]["id"])

    await asyncio.gather(*(light_writer(light) for light in LIGHTS), timer_writer())


async def run(backend: str, db: str | None, kills: int) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="jibsa-kill-"))
    ledger, token, port = Ledger(), "", free_port()
    for kill in range(kills + 1):
        server, lines = start_server(data, port, db)
        token = token or re.search(r"(jibsa_\S+)", "\n".join(lines)).group(1)  # type: ignore[union-attr]
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=30, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            await check(client, ledger, kill)
            if kill == kills:
                server.send_signal(signal.SIGINT)
                server.wait(60)
                break
            stop = asyncio.Event()
            writers = asyncio.create_task(drive(client, ledger, stop))
            await asyncio.sleep(random.uniform(1.0, 4.0))
            os.kill(server.pid, signal.SIGKILL)
            server.wait(30)
            stop.set()
            await writers
    return {
        "backend": backend,
        "kills": kills,
        "acknowledged_changes": ledger.acknowledged_changes,
        "acknowledged_timers": len(ledger.jobs),
        "lost": len(ledger.lost),
        "lost_detail": ledger.lost[:10],
    }


async def with_database(admin_url: str, work: str) -> str:
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        await connection.execute(work)
    finally:
        await connection.close()
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--db",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL database to create the run's own database from",
    )
    parser.add_argument("--kills", type=int, default=6)
    args = parser.parse_args()
    db: str | None = None
    name = f"jibsa_kill_{uuid.uuid4().hex[:8]}"
    if args.backend == "postgresql":
        asyncio.run(with_database(args.db, f'CREATE DATABASE "{name}"'))
        db = args.db.rsplit("/", 1)[0] + f"/{name}"
    try:
        figures = asyncio.run(run(args.backend, db, args.kills))
        figures["load"] = Path("/proc/loadavg").read_text(encoding="ascii").split()[:3]
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        if db:
            asyncio.run(with_database(args.db, f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
