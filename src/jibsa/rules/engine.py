"""The rule engine: keeps the home's rules (durably: they survive restarts), has each watched by its
trigger kind's watcher, and fires a rule whose trigger happened when its conditions hold.

Each trigger kind watches in its own way (`jibsa.rules.triggers`): a state change touches only the
rules of that device and property; clock and sun rules sleep until due, and one that fell due while
jibsa was down fires late or is skipped, as the rule's `missed` says.
"""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from jibsa.domain import Command
from jibsa.domain.policy import SAFETY_LATE_GRACE_S, late_grace_s
from jibsa.domain.said import Said
from jibsa.hub.adoption import AdoptionNeeded
from jibsa.hub.clock import Clock
from jibsa.hub.hub import HomeChanged, Hub
from jibsa.hub.notifications import Notifier
from jibsa.hub.timers import JobSkipped, TimerFinished
from jibsa.rules.conditions import conditions_hold
from jibsa.rules.model import ActionKind, Rule, RuleFormatError, missing_devices
from jibsa.rules.presence import PresenceBook
from jibsa.rules.runner import RuleRunner, RuleSkipped
from jibsa.rules.schema import read_rule
from jibsa.rules.store import RuleStore
from jibsa.rules.triggers import TriggerKinds, installed_kinds
from jibsa.rules.triggers.base import Watcher, WeatherSource

log = logging.getLogger(__name__)


class RuleEngine:
    """The rules of one home; `kinds` are the trigger kinds it knows (the installed ones when not given).
    It is the `WatchSite` its watchers work with."""

    def __init__(
        self,
        hub: Hub,
        store: RuleStore,
        *,
        weather: WeatherSource | None = None,
        weather_poll_s: float = 600.0,
        kinds: TriggerKinds | None = None,
    ) -> None:
        self.hub = hub
        self.store = store
        self.kinds = kinds or installed_kinds()
        self.weather = weather
        self.weather_poll_s = weather_poll_s
        self.presence = PresenceBook(hub.home.id, hub.bus, hub.clock)
        self.notifier = Notifier(hub.home.id, store, hub.bus, hub.clock)
        self.rules: dict[str, Rule] = {}
        self.broken: dict[str, str] = {}  # rules kept in the store that no longer fit the home: why
        self._seen: dict[str, int] = {}
        self._running: set[asyncio.Task[Any]] = set()
        self._runner = RuleRunner(hub, self.notifier, self._pause_for, self.kinds)
        self._watchers: dict[str, Watcher] = {kind.name: kind.watcher(self) for kind in self.kinds}
        self._routes: dict[type, tuple[Watcher, ...]] = {}  # event type -> the watchers it is handed to
        self._unlisten: Callable[[], None] = lambda: None

    @property
    def clock(self) -> Clock:
        return self.hub.clock

    @property
    def timezone(self) -> ZoneInfo:
        return self.hub.timezone

    @property
    def city(self) -> str:
        return self.hub.home.city

    # -- lifetime -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the kept rules, handle what was missed while stopped, and start watching."""
        for kept in await self.store.load_rules(self.hub.home.id):
            try:
                rule = read_rule(kept.data, self.hub.home, f"rule {kept.id}", self.kinds)
            except RuleFormatError as exc:
                self.broken[kept.id] = str(exc)
                log.warning("rule %s cannot run: %s", kept.id, exc)
                continue
            self._keep(replace(rule, id=kept.id))
            if rule.enabled:
                self._watchers[rule.when.kind].missed(self.rules[kept.id], kept.last_fired)
        self._unlisten = self.hub.bus.listen(self._on_event)
        for watcher in self._watchers.values():
            watcher.start()
        for watcher in self._watchers.values():
            await watcher.resumed()

    async def use_weather(self, weather: WeatherSource) -> None:
        """Read the weather from `weather` from now on (the household set it up while jibsa runs)."""
        self.weather = weather
        watcher = self._watchers.get("weather")
        if watcher is not None:
            await watcher.stop()
            watcher.start()

    async def stop(self) -> None:
        self._unlisten()
        for watcher in self._watchers.values():
            await watcher.stop()
        tasks = list(self._running)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def settled(self) -> None:
        """Wait until every rule that is firing now has finished its actions."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    def listed(self) -> list[Rule]:
        """Every rule, oldest first."""
        return sorted(self.rules.values(), key=lambda r: (r.created, self._seen[r.id]))

    # -- changing rules ---------------------------------------------------------------------------

    async def add(self, rule: Rule) -> Rule:
        """Keep `rule` (durably) and start watching for it; a new id is given when it has none."""
        rule = replace(rule, id=rule.id or uuid.uuid4().hex[:12], created=rule.created or self.hub.clock.now())
        await self.store.save_rule(self.hub.home.id, rule.id, rule.to_dict())
        self._drop(rule.id)
        self._keep(rule)
        return rule

    async def remove(self, rule_id: str) -> Rule | None:
        rule = self._drop(rule_id)
        self.broken.pop(rule_id, None)
        await self.store.delete_rule(self.hub.home.id, rule_id)
        return rule

    async def set_enabled(self, rule_id: str, enabled: bool) -> Rule | None:
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        return await self.add(rule.with_status(enabled=enabled))

    def home_changed(self) -> list[str]:
        """After devices were removed: rules naming them are paused and reported (ids)."""
        hit = [r for r in self.rules.values() if r.enabled and missing_devices(r, self.hub.home)]
        for rule in hit:
            fill = {"rule": rule.name, "devices": ", ".join(missing_devices(rule, self.hub.home))}
            self._spawn(self._pause_for(rule, Said("notification.rule_missing_devices", fill)))
        return [r.id for r in hit]

    # -- watching ---------------------------------------------------------------------------------

    def _keep(self, rule: Rule) -> None:
        self.rules[rule.id] = rule
        self._seen.setdefault(rule.id, len(self._seen))  # rules made at the same moment list in that order
        if rule.enabled:
            self._watchers[rule.when.kind].watch(rule)
        self._routes.clear()

    def _drop(self, rule_id: str) -> Rule | None:
        rule = self.rules.pop(rule_id, None)
        for watcher in self._watchers.values():
            watcher.forget(rule_id)
        self._routes.clear()
        return rule

    def watchers_for(self, kind: type) -> tuple[Watcher, ...]:
        """The watchers an event of type `kind` is handed to now: those that hear it (`Watcher.hears`) and,
        unless they hear without rules, watch a rule. A home whose rules no state change concerns hands a
        state change to none."""
        routed = self._routes.get(kind)
        if routed is None:
            routed = self._routes[kind] = tuple(
                watcher
                for watcher in self._watchers.values()
                if type(watcher).event is not Watcher.event
                and (watcher.hears is None or issubclass(kind, watcher.hears))
                and (watcher.rules or watcher.hears_without_rules)
            )
        return routed

    def _on_event(self, event: object) -> None:
        for watcher in self.watchers_for(type(event)):
            watcher.event(event)
        if isinstance(event, HomeChanged) and event.removed:
            self.home_changed()
        elif isinstance(event, TimerFinished):
            self._spawn(self.notifier.timer_finished(event))
        elif isinstance(event, JobSkipped):
            self._spawn(self.notifier.job_skipped(event.names, event.late_s, event.what))
        elif isinstance(event, AdoptionNeeded):
            self._spawn(self.notifier.adoption_needed(event.device.name))

    # -- firing -----------------------------------------------------------------------------------

    def fire(self, rule: Rule, value: Any = None, *, late: bool = False) -> bool:
        """Start the rule's actions if its conditions hold now; True when it was started."""
        if not rule.enabled or rule.id not in self.rules:
            return False
        states: Mapping[str, Mapping[str, Any]] = self.hub.states.all()
        if not conditions_hold(rule, states, self.presence, self.hub.clock.now(), self.hub.timezone):
            return False
        if rule.once:
            self._drop(rule.id)
        self._spawn(self._carry_out(rule, value, late))
        return True

    def stopped_matching(self, rule: Rule) -> None:
        """The state that set `rule` off stopped holding: its notifications are resolved."""
        self._spawn(self.notifier.resolve(rule.id))

    def state(self, device_id: str) -> Mapping[str, Any]:
        return self.hub.states.get(device_id)

    async def changed_at(self, device_id: str, prop: str) -> float | None:
        for entry in reversed(await self.hub.store.history(self.hub.home.id, device_id, limit=100)):
            if prop in entry.new and entry.new.get(prop) != entry.old.get(prop):
                return entry.at
        return None

    def missed_by(self, rule: Rule, late_s: float) -> None:
        """A rule that fell due while jibsa was down: fired late when its `missed` says so and it is not
        later than its actions allow (a door or a valve: the timers' 30 s), else skipped and told."""
        if rule.missed == "fire" and late_s <= self._late_limit(rule):
            self.fire(rule, None, late=True)
            return
        log.warning("rule %s (%s) fell due %.0f s ago while jibsa was not running; skipped", rule.id, rule.name, late_s)
        self.hub.bus.publish(RuleSkipped(self.hub.home.id, rule.id, rule.name, late_s))
        self._spawn(self.notifier.rule_skipped(rule.name, late_s, rule.id))

    def _late_limit(self, rule: Rule) -> float:
        """How late `rule` may still fire: the timers' grace when it commands a safety device, else any."""
        commands = [
            a.command or Command("run_scene", (), {"scene": a.scene})
            for a in rule.do
            if a.kind in (ActionKind.COMMAND, ActionKind.SCENE)
        ]
        limit = min((late_grace_s(self.hub.home, c) for c in commands), default=math.inf)
        return limit if limit <= SAFETY_LATE_GRACE_S else math.inf

    async def _carry_out(self, rule: Rule, value: Any, late: bool) -> None:
        ran = await self._runner.run(rule, value, late=late)
        if not ran:
            return
        kind = self.kinds.get(rule.when.kind)
        if rule.once:
            await self.store.delete_rule(self.hub.home.id, rule.id)
        elif kind is not None and kind.looks_back:  # only these look back at a missed time
            await self.store.rule_fired(self.hub.home.id, rule.id, self.hub.clock.now())

    async def _pause_for(self, rule: Rule, why: Said) -> None:
        """Switch `rule` off and tell its maker (everyone, when it has none) why."""
        if rule.id in self.rules:
            await self.set_enabled(rule.id, False)
        await self.notifier.notify((rule.created_by,) if rule.created_by else (), why, rule.id)

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a rule failed", exc_info=task.exception())
