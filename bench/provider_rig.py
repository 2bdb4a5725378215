"""What the provider benches share: a throw-away PostgreSQL database of their own for one run, and a
process's CPU time and resident memory read from /proc."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import asyncpg


def rss_mb(pid: int) -> float:
    """The process's resident memory (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pids: Iterable[int]) -> float:
    """The CPU seconds (user + system) the processes have used, as far as any call has seen them: one that
    has ended (a killed worker, a PostgreSQL backend that closed) counts what it had used when last read
    here, so a later sum is never below an earlier one of the same processes (it read negative when such a
    process dropped out of the sum). What a process used after its last reading and before it ended is not
    counted: read the processes just before ending one on purpose."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone: what it had used when last seen (nothing, if never seen)
            total += _LAST_SEEN.get(pid, (0, 0.0))[1]
            continue
        started, used = int(fields[19]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        seen = _LAST_SEEN.get(pid)
        if seen is not None and seen[0] != started:  # the pid is another process's now: the one meant ended
            total += seen[1]
            continue
        _LAST_SEEN[pid] = (started, used)
        total += used
    return total


_LAST_SEEN: dict[int, tuple[int, float]] = {}  # pid -> (its start time in clock ticks, CPU seconds last read)


def runnable_wait_s(pids: Iterable[int]) -> float:
    """The seconds the processes' threads have spent ready to run but waiting for a core (the scheduler's
    run queue, /proc/<pid>/task/<tid>/schedstat), summed over the threads alive now: on a machine with more
    work than cores, every hop a request makes between processes waits there. A process or thread that
    has ended is not counted, so compare two readings of processes that lived through both."""
    total_ns = 0
    for pid in pids:
        for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            try:
                total_ns += int(stat.read_text().split()[1])
            except (OSError, IndexError, ValueError):  # the thread ended meanwhile
                continue
    return total_ns / 1e9


def on_own_database(
    admin: str, prefix: str, bench: Callable[[Path, str, str], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """`bench(folder, database URL, database name)` on a new database beside `admin`'s and a temporary
    folder, both gone afterwards whatever happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_database(admin, name, create=True))
    try:
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as folder:
            return asyncio.run(bench(Path(folder), admin.rsplit("/", 1)[0] + f"/{name}", name))
    finally:
        asyncio.run(_database(admin, name, create=False))


async def _database(admin: str, name: str, *, create: bool) -> None:
    connection = await asyncpg.connect(admin)
    try:
        if create:
            await connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
