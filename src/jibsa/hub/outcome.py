"""Who asks, and what carrying out one command yields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from jibsa.domain import Command, Home, Role, TargetResult
from jibsa.hub.clock import Clock
from jibsa.hub.store import HubStore, PendingJob


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a command comes from: recorded in the audit log, checked against their role."""

    name: str = "local"
    role: Role = Role.OWNER
    source: str = "cli"
    voice: str | None = None  # a spoken request's voice: the enrolled person's name, "" a stranger's; None: none heard


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one command: a result per target, a job kept for later, or a skill's answer.

    `answer` carries facts for the reply (the time, a timer's remaining seconds, a scene's name);
    `error` is a code when the command as a whole could not be taken (an unknown scene)."""

    command: Command
    results: tuple[TargetResult, ...] = ()
    scheduled: PendingJob | None = None
    answer: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(r.ok for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "command": self.command.to_dict(),
            "ok": self.ok,
            "results": [r.to_dict() for r in self.results],
        }
        if self.scheduled is not None:
            out["scheduled"] = {"id": self.scheduled.id, "due": self.scheduled.due, "repeat": self.scheduled.repeat}
        if self.answer:
            out["answer"] = dict(self.answer)
        if self.error:
            out["error"] = self.error
        return out


class CommandLog(Protocol):
    """Told of every command the hub carried out (`jibsa.gate.Gate` keeps the audit log with it)."""

    async def carried_out(self, actor: Actor, command: Command, outcome: Outcome) -> None: ...


class SkillHost(Protocol):
    """What a skill is handed of the hub: the home, its clock and time zone, its store, the devices'
    states, the pending timers and schedules, and carrying out commands. Partner skills never get it
    whole: `jibsa.skills.partner` hands them a view that enforces what their manifest declares."""

    @property
    def home(self) -> Home: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def timezone(self) -> ZoneInfo: ...

    @property
    def store(self) -> HubStore: ...

    def state(self, device_id: str) -> dict[str, Any]: ...

    def pending_jobs(self) -> list[PendingJob]: ...

    def snapshot(self) -> dict[str, dict[str, Any]]: ...

    async def execute(
        self, command: Command, *, actor: Actor | None = None, confirmed: bool = False, session: str | None = None
    ) -> Outcome:
        """Carry a command out as the hub does (partner skills reach it only through a guarded view)."""
        ...


Skill = Callable[[Command, SkillHost], Awaitable[Outcome]]
