"""Timers ("10분 타이머"), delayed and scheduled commands ("30분 뒤에 보일러 꺼"), and "취소".

Every one of them is a `PendingJob` in the scheduler, so they are durable and fire after a restart.
When a job fires, a `JobFired` (a command carried out) or `TimerFinished` event goes on the bus; a
command that fell due while jibsa was down and is later than the policy allows is not carried out:
a `JobSkipped` event says so instead. A timer that ended while jibsa was down follows the same grace:
within it, it rings late; later, its `TimerFinished` is marked `missed` (told, not rung). Who may
make, see and cancel what is the policy's to say.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Container, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from jibsa.domain import INTENTS, Command, ErrorCode, Home, Role, TargetResult, needs_confirmation
from jibsa.domain.commands import is_duration
from jibsa.domain.events import EVERYONE, Audience
from jibsa.domain.policy import late_grace_s, may_cancel_job, pending_job_limit
from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus
from jibsa.hub.outcome import Actor, Outcome
from jibsa.hub.schedule_time import next_occurrence
from jibsa.hub.scheduler import Scheduler
from jibsa.hub.store import PendingJob
from jibsa.nlu import naming

RECENT_FOR_CANCEL_S = 600.0  # "취소" drops what the session asked for in the last ten minutes
LATE_NOTICE_S = 60.0  # a job or timer later than this fired after a restart, and says it is late

Precheck = Callable[[Command, str, Actor], TargetResult | None]
Execute = Callable[..., Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class JobFired:
    home_id: str
    job: PendingJob
    outcome: Outcome
    late: bool

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "job_fired",
            "job": self.job.id,
            "name": self.job.name,
            "late": self.late,
            "outcome": self.outcome.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class JobSkipped:
    """A kept command fell due while jibsa was down and is too late to carry out now."""

    home_id: str
    job: PendingJob
    late_s: float
    names: tuple[str, ...]  # what it was for: the devices' names, or the scene's
    what: Mapping[str, Any] | None = None  # the same as a fact an English sentence names too (nlu.naming)

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        """The facts; the API adds the sentence people read (`message`, `message_en`)."""
        data = {"type": "job_skipped", "job": self.job.id, "late_s": round(self.late_s), "names": list(self.names)}
        return {**data, "what": dict(self.what)} if self.what is not None else data


@dataclass(frozen=True, slots=True)
class TimerFinished:
    """A timer ended. `late_s` > 0 when it ended while jibsa was down; `missed` when that was longer ago
    than the grace allows, so it is told (when it was due, `due_at`) rather than rung."""

    home_id: str
    job: PendingJob
    late_s: float = 0.0
    missed: bool = False
    due_at: datetime | None = None  # in the home's time zone; set when late

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "timer_finished",
            "job": self.job.id,
            "name": self.job.name,
            "late_s": round(self.late_s),
            "missed": self.missed,
        }


class TimerBook:
    """Keeps and fires one home's timers and kept commands. `home` is read at each call (devices
    discovered at run time included); `precheck` and `execute` are the hub's."""

    def __init__(
        self,
        scheduler: Scheduler,
        clock: Clock,
        timezone: ZoneInfo,
        bus: EventBus,
        *,
        home: Callable[[], Home],
        precheck: Precheck,
        execute: Execute,
        intents: Container[str] = INTENTS,
    ) -> None:
        self._scheduler = scheduler
        self._intents = intents
        self._clock = clock
        self._tz = timezone
        self._bus = bus
        self._home = home
        self._precheck = precheck
        self._execute = execute

    async def defer(self, command: Command, actor: Actor, session: str | None, *, confirmed: bool = False) -> Outcome:
        """Keep a device command or scene for later; targets that would be refused are refused now.

        An unlock kept for later needs its confirmation now, since nobody will be asked when it fires."""
        if self._over_limit(actor):
            return Outcome(command, error="too_many_jobs")
        home = self._home()
        refusals: list[TargetResult] = []
        accepted: list[str] = []
        for target in command.targets:
            refused = self._precheck(command.without_timing(), target, actor)
            device = home.device(target)
            if refused is None and device is not None and needs_confirmation(device, command) and not confirmed:
                refused = TargetResult(target, False, ErrorCode.NEEDS_CONFIRMATION, f"{target}: needs confirmation")
            if refused is None:
                accepted.append(target)
            else:
                refusals.append(refused)
        if command.intent == "run_scene" and home.scene(str(command.params.get("scene"))) is None:
            return Outcome(command, error="unknown_scene")
        if command.targets and not accepted:
            return Outcome(command, tuple(refusals))
        now = self._clock.now()
        at, repeat = command.params.get("at"), command.params.get("repeat")
        due = next_occurrence(at, now, self._tz, repeat) if at else now + float(command.params["delay_s"])
        kept = Command(command.intent, tuple(accepted), command.without_timing().params)
        job = PendingJob(
            id=uuid.uuid4().hex,
            kind="command",
            due=due,
            command=kept.to_dict(),
            repeat=repeat,
            at=at,
            created=now,
            meta=_meta(actor, session),
        )
        await self._scheduler.add(job)
        return Outcome(command, tuple(refusals), scheduled=job, answer={"due": due})

    async def handle(self, command: Command, actor: Actor, session: str | None) -> Outcome:
        if command.intent == "set_timer":
            return await self._set_timer(command, actor, session)
        if command.intent == "cancel_timer":
            name = command.params.get("name")
            named = [j for j in self._timers() if not name or j.name == name]
            gone = [j for j in named if _may_cancel(actor, j)]
            for job in gone:
                await self._scheduler.cancel(job.id)
            return Outcome(command, answer={"cancelled": len(gone), "others": len(named) - len(gone)})
        if command.intent == "query_timer":
            now = self._clock.now()
            timers = [{"name": j.name, "remaining_s": max(0, round(j.due - now))} for j in self._timers()]
            others = sum(1 for j in self._scheduler.pending() if j.kind != "timer")  # "30분 뒤에 보일러 꺼"
            return Outcome(command, answer={"timers": timers, "scheduled": others})
        return await self._cancel_recent(command, actor, session)

    async def _set_timer(self, command: Command, actor: Actor, session: str | None) -> Outcome:
        duration = command.params.get("duration_s")
        if duration is None or not is_duration(duration):
            return Outcome(command, error="bad_duration")
        if self._over_limit(actor):
            return Outcome(command, error="too_many_jobs")
        now = self._clock.now()
        name = str(command.params.get("name") or "")
        job = PendingJob(
            id=uuid.uuid4().hex,
            kind="timer",
            due=now + float(duration),
            command=command.to_dict(),
            name=name,
            created=now,
            meta=_meta(actor, session),
        )
        await self._scheduler.add(job)
        return Outcome(command, scheduled=job, answer={"duration_s": duration, "name": name})

    async def _cancel_recent(self, command: Command, actor: Actor, session: str | None) -> Outcome:
        now = self._clock.now()
        if command.params.get("all") is True:  # "예약 다 취소해": every kept job this person may cancel
            every = self._scheduler.pending()
            gone = [j for j in every if _may_cancel(actor, j)]
            for job in gone:
                await self._scheduler.cancel(job.id)
            return Outcome(command, answer={"cancelled": len(gone), "others": len(every) - len(gone), "all": True})
        gone = [
            j for j in self._scheduler.pending()
            if session is not None and j.meta.get("session") == session and not j.repeat
            and now - j.created <= RECENT_FOR_CANCEL_S and _may_cancel(actor, j)
        ]  # fmt: skip
        for job in gone:
            await self._scheduler.cancel(job.id)
        return Outcome(command, answer={"cancelled": len(gone)})

    async def cancel(self, job_id: str, actor: Actor) -> PendingJob | None:
        """Cancel one job by id; None when there is no such job. Raises `PermissionError` when the
        policy does not let `actor` cancel it."""
        job = next((j for j in self._scheduler.pending() if j.id == job_id), None)
        if job is None:
            return None
        if not _may_cancel(actor, job):
            raise PermissionError(f"{actor.name} may not cancel job {job_id}")
        return await self._scheduler.cancel(job_id)

    def _timers(self) -> list[PendingJob]:
        return [j for j in self._scheduler.pending() if j.kind == "timer"]

    def _over_limit(self, actor: Actor) -> bool:
        mine = sum(1 for j in self._scheduler.pending() if j.meta.get("actor") == actor.name)
        return mine >= pending_job_limit(actor.role)

    async def fire(self, job: PendingJob, late_s: float) -> None:
        home = self._home()
        command = Command.from_dict(job.command, self._intents)
        if job.kind == "timer":
            self._bus.publish(self._timer_finished(home, command, job, late_s))
            return
        home_id = home.id
        if late_s > late_grace_s(home, command):
            what = _what(home, command)
            self._bus.publish(JobSkipped(home_id, job, late_s, _names(what), what))
            return
        actor = Actor(str(job.meta.get("actor", "scheduler")), _role(job.meta.get("role")), "schedule")
        outcome = await self._execute(command, actor=actor, confirmed=True)
        self._bus.publish(JobFired(home_id, job, outcome, late_s > LATE_NOTICE_S))

    def _timer_finished(self, home: Home, command: Command, job: PendingJob, late_s: float) -> TimerFinished:
        if late_s <= LATE_NOTICE_S:
            return TimerFinished(home.id, job)
        due_at = datetime.fromtimestamp(job.due, self._tz)
        return TimerFinished(home.id, job, late_s, late_s > late_grace_s(home, command), due_at)


def _what(home: Home, command: Command) -> dict[str, Any]:
    """What the job was for as a fact the words name in either language: the scene, or the devices."""
    scene_id = str(command.params.get("scene", ""))
    if command.intent == "run_scene" and home.scene(scene_id) is not None:
        return naming.scene(home, scene_id)
    return naming.named(home, list(command.targets))


def _names(what: Mapping[str, Any]) -> tuple[str, ...]:
    """The names in `what` as they are: the scene's, or the devices' (an id the home lacks as it is)."""
    return (str(what["name"]),) if what["what"] == "scene" else tuple(str(n) for n in what["names"])


def _meta(actor: Actor, session: str | None) -> dict[str, Any]:
    return {"actor": actor.name, "role": actor.role.value, "source": actor.source, "session": session}


def _may_cancel(actor: Actor, job: PendingJob) -> bool:
    owner = job.meta.get("actor")
    return may_cancel_job(actor.role, actor.name, str(owner) if owner is not None else None)


def _role(value: Any) -> Role:
    try:
        return Role(value)
    except ValueError:
        return Role.MEMBER
