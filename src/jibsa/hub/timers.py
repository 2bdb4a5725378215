"""Timers ("10분 타이머"), delayed and scheduled commands ("30분 뒤에 보일러 꺼"), and "취소".

Every one of them is a `PendingJob` in the scheduler, so they are durable and fire after a restart.
When a job fires, a `JobFired` (a command carried out) or `TimerFinished` event goes on the bus.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jibsa.domain import Command, ErrorCode, Role, TargetResult, needs_confirmation
from jibsa.hub.outcome import Actor, Outcome
from jibsa.hub.schedule_time import next_occurrence
from jibsa.hub.scheduler import Scheduler
from jibsa.hub.store import PendingJob

if TYPE_CHECKING:
    from jibsa.hub.hub import Hub

RECENT_FOR_CANCEL_S = 600.0  # "취소" drops what the session asked for in the last ten minutes


@dataclass(frozen=True, slots=True)
class JobFired:
    home_id: str
    job: PendingJob
    outcome: Outcome
    late: bool


@dataclass(frozen=True, slots=True)
class TimerFinished:
    home_id: str
    job: PendingJob


class TimerBook:
    INTENTS = frozenset({"set_timer", "cancel_timer", "query_timer", "cancel"})

    def __init__(self, hub: Hub, scheduler: Scheduler) -> None:
        self._hub = hub
        self._scheduler = scheduler

    async def defer(self, command: Command, actor: Actor, session: str | None, *, confirmed: bool = False) -> Outcome:
        """Keep a device command or scene for later; targets that would be refused are refused now.

        A repeating schedule is an automation: guests may not make one. An unlock kept for later
        needs its confirmation now, since nobody will be asked when it fires."""
        if command.params.get("repeat") and actor.role is Role.GUEST:
            return Outcome(command, error="not_allowed")
        refusals: list[TargetResult] = []
        accepted: list[str] = []
        for target in command.targets:
            refused = self._hub._targets.precheck(command.without_timing(), target, actor)
            device = self._hub.home.device(target)
            if refused is None and device is not None and needs_confirmation(device, command) and not confirmed:
                refused = TargetResult(target, False, ErrorCode.NEEDS_CONFIRMATION, f"{target}: needs confirmation")
            if refused is None:
                accepted.append(target)
            else:
                refusals.append(refused)
        if command.intent == "run_scene" and self._hub.home.scene(str(command.params.get("scene"))) is None:
            return Outcome(command, error="unknown_scene")
        if command.targets and not accepted:
            return Outcome(command, tuple(refusals))
        now = self._hub.clock.now()
        at, repeat = command.params.get("at"), command.params.get("repeat")
        due = next_occurrence(at, now, self._hub.timezone, repeat) if at else now + float(command.params["delay_s"])
        kept = Command(command.intent, tuple(accepted), command.without_timing().params)
        job = PendingJob(
            id=uuid.uuid4().hex, kind="command", due=due, command=kept.to_dict(), repeat=repeat, at=at,
            created=now, meta={"actor": actor.name, "role": actor.role.value, "source": actor.source,
                               "session": session},
        )  # fmt: skip
        await self._scheduler.add(job)
        return Outcome(command, tuple(refusals), scheduled=job, answer={"due": due})

    async def handle(self, command: Command, session: str | None) -> Outcome:
        if command.intent == "set_timer":
            return await self._set_timer(command, session)
        if command.intent == "cancel_timer":
            name = command.params.get("name")
            gone = [j for j in self._timers() if not name or j.name == name]
            for job in gone:
                await self._scheduler.cancel(job.id)
            return Outcome(command, answer={"cancelled": len(gone)})
        if command.intent == "query_timer":
            now = self._hub.clock.now()
            timers = [{"name": j.name, "remaining_s": max(0, round(j.due - now))} for j in self._timers()]
            return Outcome(command, answer={"timers": timers})
        return await self._cancel_recent(command, session)

    async def _set_timer(self, command: Command, session: str | None) -> Outcome:
        duration = command.params.get("duration_s")
        if isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration <= 0:
            return Outcome(command, error="bad_duration")
        now = self._hub.clock.now()
        name = str(command.params.get("name") or "")
        job = PendingJob(id=uuid.uuid4().hex, kind="timer", due=now + float(duration), command=command.to_dict(),
                         name=name, created=now, meta={"session": session})
        await self._scheduler.add(job)
        return Outcome(command, scheduled=job, answer={"duration_s": duration, "name": name})

    async def _cancel_recent(self, command: Command, session: str | None) -> Outcome:
        now = self._hub.clock.now()
        gone = [
            j for j in self._scheduler.pending()
            if session is not None and j.meta.get("session") == session and not j.repeat
            and now - j.created <= RECENT_FOR_CANCEL_S
        ]  # fmt: skip
        for job in gone:
            await self._scheduler.cancel(job.id)
        return Outcome(command, answer={"cancelled": len(gone)})

    def _timers(self) -> list[PendingJob]:
        return [j for j in self._scheduler.pending() if j.kind == "timer"]

    async def fire(self, job: PendingJob, late: bool) -> None:
        if job.kind == "timer":
            self._hub.bus.publish(TimerFinished(self._hub.home.id, job))
            return
        command = Command.from_dict(job.command)
        actor = Actor(str(job.meta.get("actor", "scheduler")), _role(job.meta.get("role")), "schedule")
        outcome = await self._hub.execute(command, actor=actor, confirmed=True)
        self._hub.bus.publish(JobFired(self._hub.home.id, job, outcome, late))


def _role(value: Any) -> Role:
    try:
        return Role(value)
    except ValueError:
        return Role.MEMBER
