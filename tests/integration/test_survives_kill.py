"""An acknowledged change survives `kill -9`: state and pending schedules, with the real SQLite store."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from jibsa.app import Settings, open_home

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from jibsa.app import Settings, open_home
    from jibsa.domain import Command

    async def main():
        running = await open_home(Settings(data_dir=Path(sys.argv[1])))
        outcome = await running.hub.execute(Command("turn_on", ("living_ceiling",)))
        assert outcome.ok, outcome
        later = await running.hub.execute(Command("turn_off", ("boiler",), {"delay_s": 3600}))
        assert later.scheduled is not None, later
        print("ack", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
    """
)


def acknowledge_then_kill(data: Path) -> int:
    """Run the child until it acknowledges, kill -9 it; its exit status."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "ack", child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    return child.returncode


async def test_acknowledged_state_and_schedule_survive_kill_9(tmp_path: Path) -> None:
    assert await asyncio.to_thread(acknowledge_then_kill, tmp_path) == -signal.SIGKILL
    running = await open_home(Settings(data_dir=tmp_path))
    try:
        assert running.hub.state("living_ceiling")["power"] is True
        jobs = running.hub.pending_jobs()
        assert [(j.command["intent"], j.command["targets"]) for j in jobs] == [("turn_off", ["boiler"])]
    finally:
        await running.close()
