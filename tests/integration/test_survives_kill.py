"""An acknowledged change survives `kill -9`: state and pending schedules, with the real SQLite store."""

from __future__ import annotations

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


async def test_acknowledged_state_and_schedule_survive_kill_9(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "ack", child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    running = await open_home(Settings(data_dir=tmp_path))
    try:
        assert running.hub.state("living_ceiling")["power"] is True
        jobs = running.hub.pending_jobs()
        assert [(j.command["intent"], j.command["targets"]) for j in jobs] == [("turn_off", ["boiler"])]
    finally:
        await running.close()
