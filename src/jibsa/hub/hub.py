"""The hub: one home's devices, state, events and pending work, and the carrying out of commands.

A process may run many hubs (one per home) over one store. The hub reaches devices only through
adapters and persistence only through the `HubStore` interface.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from jibsa.domain import Command, Device, Home, StateChanged, TargetResult
from jibsa.domain.events import EVERYONE, Audience
from jibsa.domain.intents import BUILTIN_INTENTS, Handler, IntentRegistry
from jibsa.domain.policy import refusal_for_request
from jibsa.domain.results import public_state
from jibsa.hub.adapter import DeviceAdapter, FollowsAdoption
from jibsa.hub.adoption import ADOPTED_LIST, AdoptionBook, AdoptionNeeded, distinct_name, names_taken
from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus
from jibsa.hub.outcome import Actor, CommandLog, Outcome, Skill
from jibsa.hub.persistence import StateWriter
from jibsa.hub.scheduler import Scheduler
from jibsa.hub.states import StateTable
from jibsa.hub.store import HubStore, PendingJob
from jibsa.hub.targets import TargetRunner
from jibsa.hub.timers import TimerBook


class RuleBook(Protocol):
    """The home's rules as the hub hands them rule intents (`jibsa.rules.commands.RuleCommands`)."""

    async def handle(self, command: Command, actor: Actor, confirmed: bool) -> Outcome: ...


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HomeChanged:
    """Devices were added or removed at run time (discovery); `home` is the new home."""

    home: Home
    added: tuple[str, ...]
    removed: tuple[str, ...]

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {"type": "home_changed", "added": list(self.added), "removed": list(self.removed)}


class _Sink:
    """What one adapter reports into: the state table (which publishes), and the hub for discovery."""

    def __init__(self, hub: Hub, vendor: str) -> None:
        self._hub = hub
        self._vendor = vendor

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        if not self._hub.adoption.report(device_id, values):
            self._hub.states.report(device_id, values)

    def availability_reported(self, device_id: str, available: bool) -> None:
        self._hub.states.set_available(device_id, available)

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        self._hub.add_devices(devices, self._vendor)

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        self._hub.remove_devices(device_ids, self._vendor)

    def devices_moved(self, devices: Sequence[Device]) -> None:
        for device in devices:
            self._hub.device_moved(replace(device, vendor=self._vendor))


class Hub:
    def __init__(
        self,
        home: Home,
        store: HubStore,
        clock: Clock,
        adapters: Mapping[str, DeviceAdapter],
        *,
        skills: Mapping[str, Skill] | None = None,
        command_timeout: float = 5.0,
        confirm_timeout: float | None = None,
        timezone: str = "Asia/Seoul",
        intents: IntentRegistry = BUILTIN_INTENTS,
    ) -> None:
        self.home = home
        self.clock = clock
        self.store = store
        self.bus = EventBus()
        self.states = StateTable(home, self.bus, clock)
        self.adapters = dict(adapters)
        self.skills = dict(skills or {})
        self.intents = intents
        self.timezone = ZoneInfo(timezone)
        self.adoption = AdoptionBook()
        self._writer = StateWriter(store, home.id)
        self._unlisten = self.bus.listen(self._on_event)
        self.scheduler = Scheduler(store, home.id, clock, self.timezone, self._fire)
        # How long a device that reports state has to show a command's effect (default: the command timeout).
        confirm_s = command_timeout if confirm_timeout is None else confirm_timeout
        self._targets = TargetRunner(self, command_timeout, confirm_s)
        self.timers = TimerBook(
            self.scheduler,
            clock,
            self.timezone,
            self.bus,
            home=lambda: self.home,
            precheck=self._targets.precheck,
            execute=self.execute,
            intents=intents,
        )
        self._started: list[DeviceAdapter] = []
        self._background: set[asyncio.Task[Any]] = set()
        self.rules: RuleBook | None = None  # set by whoever starts one (app.open_home)
        self.command_log: CommandLog | None = None  # the gate's audit of what no entrance asked (timers, rules)

    # -- lifetime -------------------------------------------------------------------------------

    async def start(self, *, jobs: bool = True) -> None:
        """Restore saved state, start the adapters (a failing one marks its devices unavailable),
        then the scheduler, which fires anything that fell due while jibsa was stopped. With `jobs`
        False the scheduler waits for `start_jobs`: whoever tells of what fired (the rule engine's
        notifier) listens first, or a timer that ended during the stop is not told."""
        self.states.restore(await self.store.load_states(self.home.id))
        self.adoption.adopted = set(await self.store.list_items(self.home.id, ADOPTED_LIST))
        self._writer.start()
        by_vendor = self._devices_by_vendor()
        for vendor in sorted(set(by_vendor) | set(self.adapters)):
            devices = by_vendor.get(vendor, [])
            adapter = self.adapters.get(vendor)
            if adapter is None:
                log.warning("no adapter for vendor %r: %d devices will not answer", vendor, len(devices))
                self._mark_unavailable(devices)
                continue
            try:
                await adapter.start(devices, _Sink(self, vendor))
            except Exception:
                log.exception("adapter %r failed to start; its devices will not answer", vendor)
                self._mark_unavailable(devices)
                continue
            self._started.append(adapter)
        if jobs:
            await self.start_jobs()

    async def start_jobs(self) -> None:
        """Load the kept jobs and fire those that fell due while jibsa was stopped."""
        await self.scheduler.start()

    async def stop(self) -> None:
        await self.scheduler.stop()
        for adapter in reversed(self._started):
            try:
                await adapter.stop()
            except Exception:
                log.exception("adapter %r failed to stop cleanly", adapter.name)
        self._started.clear()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self._writer.stop()
        self._unlisten()

    async def __aenter__(self) -> Hub:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- commands -------------------------------------------------------------------------------

    async def execute(
        self, command: Command, *, actor: Actor | None = None, confirmed: bool = False, session: str | None = None
    ) -> Outcome:
        """Carry out one command (or keep it for later when it says when); one result per target."""
        actor = actor or Actor()
        outcome = await self._execute(command, actor, confirmed, session)
        if self.command_log is not None:
            await self.command_log.carried_out(actor, command, outcome)
        return outcome

    async def _execute(self, command: Command, actor: Actor, confirmed: bool, session: str | None) -> Outcome:
        spec = self.intents.get(command.intent)
        refusal = refusal_for_request(actor.role, command, self.intents)
        if refusal is not None:
            return Outcome(command, error="not_allowed", answer={"reason": refusal})
        if spec is not None and command.is_deferred and spec.timeable:
            return await self.timers.defer(command, actor, session, confirmed=confirmed)
        handler = spec.handler if spec is not None else Handler.SKILL
        if handler is Handler.DEVICE:
            results = await self._targets.run(command, command.targets, actor, confirmed)
            return Outcome(command, results)
        if handler is Handler.SCENE:
            return await self._run_scene(command, actor, confirmed)
        if handler is Handler.TIMERS:
            return await self.timers.handle(command, actor, session)
        if handler is Handler.RULES:
            if self.rules is None:
                return Outcome(command, error="unsupported_intent")
            return await self.rules.handle(command, actor, confirmed)
        skill = self.skills.get(command.intent)
        if skill is None:
            return Outcome(command, error="unsupported_intent")
        return await skill(command, self)

    async def execute_all(
        self,
        commands: Iterable[Command],
        *,
        actor: Actor | None = None,
        confirmed: bool = False,
        session: str | None = None,
    ) -> list[Outcome]:
        """Carry out commands in order (a later one may depend on an earlier one's effect)."""
        return [await self.execute(c, actor=actor, confirmed=confirmed, session=session) for c in commands]

    async def _run_scene(self, command: Command, actor: Actor, confirmed: bool) -> Outcome:
        scene = self.home.scene(str(command.params.get("scene", "")))
        if scene is None:
            return Outcome(command, error="unknown_scene")
        results: list[TargetResult] = []
        for action in scene.actions:
            step = Command(action.intent, action.targets, dict(action.params))
            results.extend(await self._targets.run(step, step.targets, actor, confirmed))
        return Outcome(command, tuple(results), answer={"scene": scene.id, "name": scene.name})

    # -- reading --------------------------------------------------------------------------------

    def state(self, device_id: str) -> dict[str, Any]:
        """A device's state as people see it."""
        return public_state(self.states.get(device_id))

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {d.id: self.state(d.id) for d in self.home.devices}

    def pending_jobs(self) -> list[PendingJob]:
        return self.scheduler.pending()

    async def flush(self) -> None:
        """Wait until every state change so far is durable."""
        await self._writer.flush()

    def add_devices(self, devices: Sequence[Device], vendor: str) -> tuple[str, ...]:
        """Add devices an adapter discovered; ids the home has from another vendor are refused, names
        the home already uses are made distinct, and new safety devices wait for adoption."""
        accepted: list[Device] = []
        taken = names_taken(self.home.devices)  # once, not per device: discovery announces thousands at once
        for announced in devices:
            known = self.home.device(announced.id)
            if known is not None and known.vendor != vendor:
                log.warning(
                    "%s: device id %r is already %s's; announcement ignored", vendor, announced.id, known.vendor
                )
                continue
            device = distinct_name(replace(announced, vendor=vendor), vendor, taken)
            if known is None and self.adoption.must_wait(device):
                self.adoption.hold(device)
                continue
            accepted.append(device)
            taken.update(names_taken([device]))
        return self._join(accepted)

    async def adopt(self, device_id: str) -> Device | None:
        """An owner adopts a discovered safety device: it joins the home, now and after a restart."""
        released = self.adoption.release(device_id)
        if released is None:
            return None
        device, state = released
        await self.store.add_list_item(self.home.id, ADOPTED_LIST, device_id)
        adapter = self.adapters.get(device.vendor)
        if isinstance(adapter, FollowsAdoption):
            await adapter.adopted(device_id)
        self._join([distinct_name(device, device.vendor, names_taken(self.home.devices))])
        self.states.set_available(device_id, True)  # it was marked not answering while it waited again
        self.states.report(device_id, state)
        return self.home.device(device_id)

    def device_moved(self, device: Device) -> None:
        """A known device was announced from somewhere else (another discovery topic, other command or
        state topics). A safety device waits for an owner again: commands to it are refused, what it
        reports is kept aside, it shows as not answering, and the owners are told (`AdoptionNeeded`).
        Another kind is only logged (its adapter follows the new announcement)."""
        if not self.adoption.hold_again(device):
            log.warning("%s: %s (%s) was announced from somewhere else", device.vendor, device.name, device.id)
            return
        self._in_background(self.store.remove_list_item(self.home.id, ADOPTED_LIST, device.id))
        if self.home.device(device.id) is not None:
            self.states.set_available(device.id, False)
        self.bus.publish(AdoptionNeeded(self.home.id, device))

    def _join(self, accepted: Sequence[Device]) -> tuple[str, ...]:
        if not accepted:
            return ()
        self.home = self.home.with_devices(tuple(accepted))
        self.states.home = self.home
        for device in accepted:
            self.states.add(device.id)
        added = tuple(d.id for d in accepted)
        self.bus.publish(HomeChanged(self.home, added, ()))
        return added

    def remove_devices(self, device_ids: Sequence[str], vendor: str) -> None:
        self.adoption.forget(device_ids)
        gone = frozenset(i for i in device_ids if (d := self.home.device(i)) is not None and d.vendor == vendor)
        if not gone:
            return
        self.home = self.home.with_devices((), gone)
        self.states.home = self.home
        for device_id in gone:
            self.states.remove(device_id)
        self.bus.publish(HomeChanged(self.home, (), tuple(sorted(gone))))

    # -- internals ------------------------------------------------------------------------------

    def _on_event(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self._writer.enqueue(event)

    def _devices_by_vendor(self) -> dict[str, list[Device]]:
        grouped: dict[str, list[Device]] = {}
        for device in self.home.devices:
            grouped.setdefault(device.vendor, []).append(device)
        return grouped

    def _in_background(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("the hub could not save a change", exc_info=task.exception())

    def _mark_unavailable(self, devices: Sequence[Device]) -> None:
        for device in devices:
            self.states.set_available(device.id, False)

    async def _fire(self, job: PendingJob, late_s: float) -> None:
        await self.timers.fire(job, late_s)

    def adapter_for(self, device: Device) -> DeviceAdapter | None:
        return self.adapters.get(device.vendor)
