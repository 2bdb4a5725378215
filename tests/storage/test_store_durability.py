"""An acknowledged write survives kill -9: a child process saves, says so, and is killed at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from jibsa.hub.store import PendingJob
from jibsa.storage import open_store

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from jibsa.hub.store import PendingJob
    from jibsa.storage import open_store

    async def main():
        store = await open_store(sys.argv[1])
        await store.save_state("home", "boiler", {}, {"power": True, "mode": "외출"}, 1.0)
        await store.save_job("home", PendingJob("j1", "timer", 99.0, {"intent": "set_timer"}, name="라면"))
        print("saved", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
    """
)


async def test_a_saved_state_survives_kill_9(tmp_path: Path) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    try:
        line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
        if line.strip() == b"saved":
            os.kill(child.pid, signal.SIGKILL)  # at once: nothing after the acknowledgement may run
        assert line.strip() == b"saved", (await child.stderr.read()).decode()
    finally:
        if child.returncode is None:
            child.kill()
        await child.communicate()
    assert child.returncode == -signal.SIGKILL
    async with await open_store(tmp_path) as store:
        assert await store.load_states("home") == {"boiler": {"power": True, "mode": "외출"}}
        jobs = await store.load_jobs("home")
        assert jobs == [PendingJob("j1", "timer", 99.0, {"intent": "set_timer"}, name="라면")]


AUDIT_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from jibsa.storage import AuditEntry, open_store

    async def append(store, n):
        await store.append_audit(AuditEntry(float(n), "home", "엄마", "owner", "token:x", "conversation", {"n": n}))
        print(n, flush=True)

    async def main():
        store = await open_store(sys.argv[1])
        while True:  # eight at a time, as eight clients would: they share transactions
            await asyncio.gather(*(append(store, n) for n in range(8)))

    asyncio.run(main())
    """
)


async def test_acknowledged_audit_entries_survive_kill_9(tmp_path: Path) -> None:
    """Entries appended side by side share a transaction; each one acknowledged is there after kill -9."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", AUDIT_CHILD, str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    acknowledged = 0
    try:
        while acknowledged < 200:
            line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
            assert line, (await child.stderr.read()).decode()
            acknowledged += 1
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.returncode is None:
            child.kill()
        await child.communicate()
    async with await open_store(tmp_path) as store:
        assert len(await store.audit("home", limit=100_000)) >= acknowledged
