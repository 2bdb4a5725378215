"""Commissioning a Matter device by its pairing code, the way a person does it: in conversation
("매터 기기 추가해줘", then the code), or on the dashboard (the code typed, or its QR code scanned).

One commissioning at a time (the controller does one at a time too). Its progress is a stage with what
to tell a person (a `Said` of the catalogue's `matter` section, worded at the edges); when it ends, the
new device waits a while to be named and placed ("거실 스탠드로 해줘"). A lock commissioned by an owner
is adopted by that act (as the dashboard's adopt button does), and unlocking it still needs a
confirmation (domain.policy). Who may commission is decided by domain.policy (`may_add_devices`); the
hub applies it to the conversation's intents too.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from matter_server.client.exceptions import MatterClientException
from matter_server.common.errors import MatterError, NodeCommissionFailed

from jibsa.domain import Command, Device, DeviceType, Home
from jibsa.domain.said import Said
from jibsa.hub import DeviceError, Outcome, SkillHost

from .adapter import MatterAdapter
from .codes import pairing_code
from .phrases import ADD_INTENT, NAME_INTENT

log = logging.getLogger(__name__)
NAMING_WINDOW_S = 600.0  # how long after commissioning "거실 스탠드로 해줘" names the new device


class Stage(StrEnum):
    CHECKING = "checking"
    COMMISSIONING = "commissioning"
    ADDED = "added"
    FAILED = "failed"


@dataclass(frozen=True)
class Progress:
    """Where one commissioning is: its stage, the sentence key that says it, the devices it added."""

    id: str
    stage: Stage
    key: str
    devices: tuple[Device, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def said(self) -> Said:
        """What to tell a person about this stage."""
        return Said(f"matter.{self.key}", self.fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stage": self.stage.value,
            "done": self.stage in (Stage.ADDED, Stage.FAILED),
            "said": self.said.to_json(),
            "devices": [{"id": d.id, "name": d.name, "type": d.type.value} for d in self.devices],
        }


class Adopter(Protocol):
    async def adopt(self, device_id: str) -> Device | None: ...


class Commissioner:
    """Commissions through `adapter` (None: no controller configured) for the hub `adopter`."""

    def __init__(self, adapter: MatterAdapter | None, adopter: Adopter, now: Callable[[], float]) -> None:
        self.adapter = adapter
        self._adopter = adopter
        self._now = now
        self._jobs: dict[str, Progress] = {}
        self._moved: dict[str, asyncio.Event] = {}  # set when a job's stage changes (then replaced)
        self._busy = asyncio.Lock()
        self._tasks: set[asyncio.Task[Progress]] = set()
        self._to_name: tuple[float, Device] | None = None

    def progress(self, job_id: str) -> Progress | None:
        return self._jobs.get(job_id)

    async def progress_after(self, job_id: str, stage: str, wait_s: float) -> Progress | None:
        """The job once its stage is no longer `stage` (or after `wait_s`, as it is then)."""
        try:
            async with asyncio.timeout(wait_s):
                while (job := self._jobs.get(job_id)) is not None and job.stage.value == stage:
                    await self._moved.setdefault(job_id, asyncio.Event()).wait()
        except TimeoutError:
            pass
        return self._jobs.get(job_id)

    def begin(self, code: str) -> Progress:
        """Start commissioning in the background (the dashboard follows it with `progress`)."""
        job = self._new_job()
        if job.stage is Stage.CHECKING:
            task = asyncio.create_task(self._run(job, code))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return self._jobs[job.id]

    async def commission(self, code: str) -> Progress:
        """Commission and wait for the end (the conversation)."""
        job = self._new_job()
        return job if job.stage is Stage.FAILED else await self._run(job, code)

    def _new_job(self) -> Progress:
        job_id = secrets.token_urlsafe(8)
        if self.adapter is None:
            job = Progress(job_id, Stage.FAILED, "not_set_up")
        elif self._busy.locked():
            job = Progress(job_id, Stage.FAILED, "busy")
        else:
            job = Progress(job_id, Stage.CHECKING, "checking")
        self._jobs = {**dict(list(self._jobs.items())[-20:]), job_id: job}  # the last few, for the page
        self._moved = {k: v for k, v in self._moved.items() if k in self._jobs}
        return job

    async def _run(self, job: Progress, raw_code: str) -> Progress:
        assert self.adapter is not None
        async with self._busy:
            code = pairing_code(raw_code)
            if code is None:
                return self._set(replace(job, stage=Stage.FAILED, key="bad_code"))
            self._set(replace(job, stage=Stage.COMMISSIONING, key="commissioning"))
            try:
                devices = await self.adapter.commission(code)
            except TimeoutError:
                seconds = round(self.adapter.settings.commission_timeout_s)
                return self._set(replace(job, stage=Stage.FAILED, key="timed_out", fields={"seconds": seconds}))
            except DeviceError:
                return self._set(replace(job, stage=Stage.FAILED, key="controller_down"))
            except (MatterClientException, MatterError) as exc:
                log.warning("matter: commissioning failed: %s: %s", type(exc).__name__, exc)
                key = "not_found" if isinstance(exc, NodeCommissionFailed) else "failed"
                return self._set(replace(job, stage=Stage.FAILED, key=key))
            return self._set(await self._added(job, devices))

    async def _added(self, job: Progress, devices: list[Device]) -> Progress:
        if not devices:
            return replace(job, stage=Stage.ADDED, key="added_nothing")
        for device in devices:
            if device.type is DeviceType.DOOR_LOCK:
                await self._adopter.adopt(device.id)  # an owner commissioned it: that is the adoption
        first = devices[0]
        self._to_name = (self._now(), first)
        key = "added_lock" if first.type is DeviceType.DOOR_LOCK else "added"
        return replace(job, stage=Stage.ADDED, key=key, devices=tuple(devices), fields={"device": first.name})

    def _set(self, job: Progress) -> Progress:
        self._jobs[job.id] = job
        moved = self._moved.pop(job.id, None)
        if moved is not None:
            moved.set()
        return job

    # -- naming -----------------------------------------------------------------------------------

    def awaiting_name(self) -> bool:
        """True while a device commissioned in the last NAMING_WINDOW_S has not been named."""
        return self._to_name is not None and self._now() - self._to_name[0] <= NAMING_WINDOW_S

    def name_new_device(self, home: Home, name: str, room: str | None) -> Said:
        """Name (and place) the device commissioned last; what to answer."""
        if not self.awaiting_name() or self._to_name is None or not name:
            return Said("matter.nothing_to_name")
        device = self.rename(home, self._to_name[1].id, name, room)
        if device is None:
            return Said("matter.nothing_to_name")
        return Said("matter.named", {"name": device.name})

    async def remove(self, device_id: str) -> bool:
        """Take a Matter device out of the home and off the controller; False when it is not one."""
        return self.adapter is not None and await self.adapter.remove(device_id)

    def rename(self, home: Home, device_id: str, name: str, room: str | None) -> Device | None:
        """Name a Matter device as the home file names devices: the room's name first ("거실 스탠드"),
        the room set apart too. None when `device_id` is not a device the controller brought."""
        if self.adapter is None:
            return None
        place = home.room(room) if room else None
        full = f"{place.name} {name}" if place is not None and not name.startswith(place.name) else name
        device = self.adapter.rename(device_id, full, place.id if place else None)
        if device is not None and self._to_name is not None and self._to_name[1].id == device_id:
            self._to_name = None
        return device


Skill = Callable[[Command, SkillHost], Awaitable[Outcome]]


def commissioning_skills(commissioner: Commissioner) -> dict[str, Skill]:
    """The conversation's two intents: add a device (with or without its code), and name it."""

    async def add(command: Command, host: SkillHost) -> Outcome:
        code = command.params.get("code")
        if not code:
            key = "not_set_up" if commissioner.adapter is None else "ask_code"
            return Outcome(command, answer={"said": Said(f"matter.{key}").to_json()})
        progress = await commissioner.commission(str(code))
        error = None if progress.stage is Stage.ADDED else f"matter_{progress.key}"
        return Outcome(command, error=error, answer={"said": progress.said.to_json()})

    async def name(command: Command, host: SkillHost) -> Outcome:
        room = command.params.get("room")
        said = commissioner.name_new_device(
            host.home, str(command.params.get("name") or "").strip(), str(room) if room else None
        )
        return Outcome(command, answer={"said": said.to_json()})

    return {ADD_INTENT: add, NAME_INTENT: name}
