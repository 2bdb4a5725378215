"""Watching triggers that fall due at a time of day (clock and sun): each rule sleeps until it is next
due; after a restart one that fell due while jibsa was down fires late or is skipped, as its `missed`
and the engine's grace say (the engine tells the household of a skipped one). A kind gives the time it
is due on a day (None: not on that day)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta

from jibsa.rules.model import Rule, Trigger
from jibsa.rules.triggers.base import Watcher, WatchSite

DueOn = Callable[[Trigger, date, WatchSite], "float | None"]
_SEARCH_DAYS = 8  # a week of allowed days always holds one


class TimedWatcher(Watcher):
    def __init__(self, site: WatchSite, due_on: DueOn) -> None:
        super().__init__(site)
        self._due_on = due_on
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def watch(self, rule: Rule) -> None:
        super().watch(rule)
        self._tasks[rule.id] = asyncio.create_task(self._sleep_and_fire(rule.id), name=f"rule:{rule.id}")

    def forget(self, rule_id: str) -> None:
        super().forget(rule_id)
        task = self._tasks.pop(rule_id, None)
        if task is not None:
            task.cancel()

    def missed(self, rule: Rule, last_fired: float | None) -> None:
        now = self.site.clock.now()
        due = self.last_due(rule.when, now)
        if due is not None and due > max(last_fired or 0.0, rule.created):
            self.site.missed_by(rule, now - due)

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    async def _sleep_and_fire(self, rule_id: str) -> None:
        while (rule := self.rules.get(rule_id)) is not None:
            await self.site.clock.sleep_until(self.next_due(rule.when, self.site.clock.now()))
            if self.site.fire(rule, None) and rule.once:
                return

    def occurrences(self, trigger: Trigger, start: float) -> list[float]:
        """The trigger's due times on the allowed days from the day before `start` for a week, in order."""
        first = datetime.fromtimestamp(start, self.site.timezone).date() - timedelta(days=1)
        times = [self._due_on(trigger, first + timedelta(days=offset), self.site) for offset in range(_SEARCH_DAYS + 1)]
        return sorted(t for t in times if t is not None)

    def next_due(self, trigger: Trigger, now: float) -> float:
        """The first due time strictly after `now`."""
        return next(t for t in self.occurrences(trigger, now) if t > now)

    def last_due(self, trigger: Trigger, now: float) -> float | None:
        """The latest due time at or before `now` (within the last week)."""
        past = [t for t in self.occurrences(trigger, now - 7 * 86400) if t <= now]
        past += [t for t in self.occurrences(trigger, now) if t <= now]
        return max(past) if past else None
