"""The rule engine: watches the hub's event bus and clock, and fires rules whose trigger happened
and whose conditions hold.

State triggers are indexed by (device, property), so a state change touches only its own rules.
A trigger "for a while" waits on the clock and is dropped when the state stops matching. Clock and
sun triggers sleep until due; one that fell due while jibsa was down fires late or is skipped, as
the rule's `missed` says. Rules are kept in the store and survive restarts.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any

from jibsa.domain import StateChanged
from jibsa.hub.hub import HomeChanged, Hub
from jibsa.hub.notifications import Notifier, rule_texts
from jibsa.hub.timers import TimerFinished
from jibsa.rules.conditions import conditions_hold, value_matches
from jibsa.rules.due import city_observer, last_due, next_due
from jibsa.rules.model import Rule, RuleFormatError, TriggerKind, missing_devices
from jibsa.rules.presence import PresenceBook, PresenceChanged
from jibsa.rules.runner import RuleRunner
from jibsa.rules.schema import read_rule
from jibsa.rules.store import RuleStore
from jibsa.rules.weather import WeatherSource, WeatherWatch

log = logging.getLogger(__name__)
_TIMED = (TriggerKind.CLOCK, TriggerKind.SUN)


class RuleEngine:
    def __init__(self, hub: Hub, store: RuleStore, *, weather: WeatherSource | None = None,
                 weather_poll_s: float = 600.0) -> None:
        self.hub = hub
        self.store = store
        self.presence = PresenceBook(hub.home.id, hub.bus, hub.clock)
        self.notifier = Notifier(hub.home.id, store, hub.bus, hub.clock)
        self.rules: dict[str, Rule] = {}
        self.broken: dict[str, str] = {}  # rules kept in the store that no longer fit the home: why
        self._index: dict[tuple[str, str], list[str]] = {}
        self._seen: dict[str, int] = {}
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._holding: dict[str, asyncio.Task[None]] = {}
        self._running: set[asyncio.Task[Any]] = set()
        self._runner = RuleRunner(hub, self.notifier, self._pause_for)
        self._weather = WeatherWatch(weather, hub.home.city, hub.clock, weather_poll_s, self._weather_began)
        self._observer = city_observer(hub.home.city)
        self._unlisten: Callable[[], None] = lambda: None

    # -- lifetime -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the kept rules, handle what was missed while stopped, and start watching."""
        for kept in await self.store.load_rules(self.hub.home.id):
            try:
                rule = read_rule(kept.data, self.hub.home, f"rule {kept.id}")
            except RuleFormatError as exc:
                self.broken[kept.id] = str(exc)
                log.warning("rule %s cannot run: %s", kept.id, exc)
                continue
            self._keep(replace(rule, id=kept.id))
            await self._missed(self.rules[kept.id], kept.last_fired)
        self._unlisten = self.hub.bus.listen(self._on_event)
        self._weather.start()

    async def stop(self) -> None:
        self._unlisten()
        await self._weather.stop()
        tasks = [*self._timers.values(), *self._holding.values(), *self._running]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._timers.clear()
        self._holding.clear()

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
            texts = rule_texts()
            fill = {"rule": rule.name, "devices": ", ".join(missing_devices(rule, self.hub.home))}
            self._spawn(self._pause_for(rule, texts["ko"]["missing_devices"].format(**fill),
                                        texts["en"]["missing_devices"].format(**fill)))
        return [r.id for r in hit]

    # -- watching ---------------------------------------------------------------------------------

    def _keep(self, rule: Rule) -> None:
        self.rules[rule.id] = rule
        self._seen.setdefault(rule.id, len(self._seen))  # rules made at the same moment list in that order
        if not rule.enabled:
            return
        trigger = rule.when
        if trigger.kind in (TriggerKind.STATE, TriggerKind.FINISHED):
            prop = trigger.property if trigger.kind is TriggerKind.STATE else "run_state"
            self._index.setdefault((str(trigger.device), str(prop)), []).append(rule.id)
        elif trigger.kind in _TIMED:
            self._timers[rule.id] = asyncio.create_task(self._clock_loop(rule.id), name=f"rule:{rule.id}")

    def _drop(self, rule_id: str) -> Rule | None:
        rule = self.rules.pop(rule_id, None)
        for ids in self._index.values():
            if rule_id in ids:
                ids.remove(rule_id)
        for tasks in (self._timers, self._holding):
            task = tasks.pop(rule_id, None)
            if task is not None:
                task.cancel()
        return rule

    def _on_event(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self._on_state(event)
        elif isinstance(event, PresenceChanged):
            self._on_presence(event)
        elif isinstance(event, HomeChanged) and event.removed:
            self.home_changed()
        elif isinstance(event, TimerFinished):
            self._spawn(self.notifier.timer_finished(event))

    def _on_state(self, event: StateChanged) -> None:
        for prop in event.changed:
            for rule_id in tuple(self._index.get((event.device_id, prop), ())):
                rule = self.rules[rule_id]
                trigger = rule.when
                to = "finished" if trigger.kind is TriggerKind.FINISHED else trigger.to
                was = value_matches(event.old.get(prop), to, trigger.above, trigger.below)
                now = value_matches(event.new.get(prop), to, trigger.above, trigger.below)
                if now and not was:
                    self._began(rule, event.new.get(prop))
                elif was and not now:
                    held = self._holding.pop(rule_id, None)
                    if held is not None:
                        held.cancel()

    def _began(self, rule: Rule, value: Any) -> None:
        if rule.when.for_s <= 0:
            self._fire(rule, value)
            return
        if rule.id not in self._holding:
            deadline = self.hub.clock.now() + rule.when.for_s
            self._holding[rule.id] = asyncio.create_task(self._hold(rule, value, deadline))

    async def _hold(self, rule: Rule, value: Any, deadline: float) -> None:
        await self.hub.clock.sleep_until(deadline)
        self._holding.pop(rule.id, None)
        self._fire(rule, value)

    def _on_presence(self, event: PresenceChanged) -> None:
        for rule in tuple(self.rules.values()):
            trigger = rule.when
            if not rule.enabled or trigger.kind is not TriggerKind.PRESENCE:
                continue
            if trigger.event == "nobody_home":
                if not event.anyone_home and not event.home:
                    self._fire(rule, event.person)
            elif (trigger.event == "arrive") == event.home and trigger.person in (None, event.person):
                self._fire(rule, event.person)

    def _weather_began(self, kinds: frozenset[str]) -> None:
        for rule in tuple(self.rules.values()):
            if rule.enabled and rule.when.kind is TriggerKind.WEATHER and rule.when.weather in kinds:
                self._fire(rule, rule.when.weather)

    async def _clock_loop(self, rule_id: str) -> None:
        while (rule := self.rules.get(rule_id)) is not None:
            due = next_due(rule.when, self.hub.clock.now(), self.hub.timezone, self._observer)
            await self.hub.clock.sleep_until(due)
            if self._fire(rule, None) and rule.once:
                return

    async def _missed(self, rule: Rule, last_fired: float | None) -> None:
        if not rule.enabled or rule.when.kind not in _TIMED or rule.missed != "fire":
            return
        due = last_due(rule.when, self.hub.clock.now(), self.hub.timezone, self._observer)
        if due is not None and due > max(last_fired or 0.0, rule.created):
            self._fire(rule, None, late=True)

    # -- firing -----------------------------------------------------------------------------------

    def _fire(self, rule: Rule, value: Any, *, late: bool = False) -> bool:
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

    async def _carry_out(self, rule: Rule, value: Any, late: bool) -> None:
        ran = await self._runner.run(rule, value, late=late)
        if not ran:
            return
        if rule.once:
            await self.store.delete_rule(self.hub.home.id, rule.id)
        elif rule.when.kind in _TIMED:  # only clock and sun rules look back at a missed time
            await self.store.rule_fired(self.hub.home.id, rule.id, self.hub.clock.now())

    async def _pause_for(self, rule: Rule, text: str, text_en: str) -> None:
        """Switch `rule` off and tell its maker (everyone, when it has none) why."""
        if rule.id in self.rules:
            await self.set_enabled(rule.id, False)
        await self.notifier.notify((rule.created_by,) if rule.created_by else (), text, text_en, rule.id)

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a rule failed", exc_info=task.exception())
