"""Timers, delayed and scheduled commands: kept in the store, fired on time, alive across restarts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from jibsa.hub.clock import Clock
from jibsa.hub.schedule_time import next_occurrence
from jibsa.hub.store import HubStore, PendingJob

log = logging.getLogger(__name__)

Fire = Callable[[PendingJob, float], Awaitable[None]]  # (job, seconds late) -> carried out


class Scheduler:
    """Sleeps until the next job is due and fires it; a repeating job is moved to its next time."""

    def __init__(self, store: HubStore, home_id: str, clock: Clock, tz: ZoneInfo, fire: Fire) -> None:
        self._store = store
        self._home_id = home_id
        self._clock = clock
        self._tz = tz
        self._fire = fire
        self._jobs: dict[str, PendingJob] = {}
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Load kept jobs; repeating jobs missed while stopped move on to their next time, one-off ones
        fire now (the fire callback is told how late, and decides whether it is too late)."""
        for kept in await self._store.load_jobs(self._home_id):
            job = kept
            if job.repeat and job.at and job.due <= self._clock.now():
                job = replace(job, due=next_occurrence(job.at, self._clock.now(), self._tz, job.repeat))
                await self._store.save_job(self._home_id, job)
            self._jobs[job.id] = job
        self._task = asyncio.create_task(self._run(), name=f"scheduler:{self._home_id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def pending(self) -> list[PendingJob]:
        return sorted(self._jobs.values(), key=lambda j: j.due)

    async def add(self, job: PendingJob) -> None:
        """Keep `job` (durably, before returning) and wake the loop if it is now the next one."""
        await self._store.save_job(self._home_id, job)
        self._jobs[job.id] = job
        self._changed.set()

    async def cancel(self, job_id: str) -> PendingJob | None:
        job = self._jobs.pop(job_id, None)
        if job is not None:
            await self._store.delete_job(self._home_id, job_id)
            self._changed.set()
        return job

    async def _run(self) -> None:
        while True:
            self._changed.clear()
            upcoming = self.pending()
            if not upcoming:
                await self._changed.wait()
                continue
            job = upcoming[0]
            if job.due > self._clock.now():
                await self._wait(job.due)
                continue
            await self._carry_out(job)

    async def _wait(self, deadline: float) -> None:
        sleeper = asyncio.ensure_future(self._clock.sleep_until(deadline))
        changed = asyncio.ensure_future(self._changed.wait())
        try:
            await asyncio.wait({sleeper, changed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, changed):
                task.cancel()
            await asyncio.gather(sleeper, changed, return_exceptions=True)

    async def _carry_out(self, job: PendingJob) -> None:
        late_s = max(0.0, self._clock.now() - job.due)
        if job.repeat and job.at:
            following = replace(job, due=next_occurrence(job.at, max(job.due, self._clock.now()), self._tz, job.repeat))
            await self.add(following)
        else:
            await self.cancel(job.id)
        try:
            await self._fire(job, late_s)
        except Exception:  # a failing job must not stop the ones after it
            log.exception("scheduled job %s (%s) failed", job.id, job.name or job.kind)
