"""Carrying out a rule's actions, as the rule's maker, through the hub's own policy; and the guard
that pauses a rule firing too often (a rule that sets itself off, or two rules fighting)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from jibsa.domain import Command
from jibsa.domain.events import EVERYONE, Audience
from jibsa.domain.said import Said
from jibsa.hub.notification_store import as_written
from jibsa.hub.notifications import Notifier
from jibsa.hub.outcome import Actor
from jibsa.rules.model import Action, ActionKind, Rule
from jibsa.rules.triggers import TriggerKinds
from jibsa.rules.triggers.base import Wording
from jibsa.words import catalogue

if TYPE_CHECKING:
    from jibsa.hub.hub import Hub

log = logging.getLogger(__name__)
LOOP_LIMIT = 10  # firings of one rule ...
LOOP_WINDOW_S = 60.0  # ... within this many seconds: it is looping


@dataclass(frozen=True, slots=True)
class RuleFired:
    """A rule fired: for the history, "왜?", and the dashboard."""

    home_id: str
    rule_id: str
    name: str
    at: float
    reason: str
    reason_en: str
    late: bool = False

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "rule_fired",
            "rule": self.rule_id,
            "name": self.name,
            "at": self.at,
            "reason": self.reason,
            "reason_en": self.reason_en,
            "late": self.late,
        }


@dataclass(frozen=True, slots=True)
class RuleSkipped:
    """A clock or sun rule fell due while jibsa was not running and was not carried out late."""

    home_id: str
    rule_id: str
    name: str
    late_s: float

    audience: ClassVar[Audience] = EVERYONE

    def to_json(self) -> dict[str, Any]:
        return {"type": "rule_skipped", "rule": self.rule_id, "name": self.name, "late_s": round(self.late_s)}


Pause = Callable[[Rule, Said], Awaitable[None]]


class RuleRunner:
    def __init__(
        self,
        hub: Hub,
        notifier: Notifier,
        pause: Pause,
        kinds: TriggerKinds,
        *,
        loop_limit: int = LOOP_LIMIT,
        loop_window_s: float = LOOP_WINDOW_S,
    ) -> None:
        self._hub = hub
        self._kinds = kinds
        self._notifier = notifier
        self._pause = pause
        self._limit = loop_limit
        self._window = loop_window_s
        self._recent: dict[str, deque[float]] = {}

    async def run(self, rule: Rule, value: Any = None, *, late: bool = False) -> bool:
        """Carry out `rule`'s actions in order; False when the loop guard paused it instead."""
        now = self._hub.clock.now()
        if self._looping(rule.id, now):
            await self._pause(
                rule,
                Said(
                    "notification.rule_loop_paused", {"rule": rule.name, "count": self._limit, "window": self._window}
                ),
            )
            return False
        reason, reason_en = self._what_happened(rule, value, "ko"), self._what_happened(rule, value, "en")
        self._hub.bus.publish(RuleFired(self._hub.home.id, rule.id, rule.name, now, reason, reason_en, late))
        actor = Actor(rule.created_by or "rule", rule.role, f"rule:{rule.id}")
        for action in rule.do:
            await self._one(rule, action, actor, reason, reason_en)
        return True

    def _what_happened(self, rule: Rule, value: Any, language: str) -> str:
        """ "세탁기가 끝났어요.": what set `rule` off, `value` being what the trigger saw."""
        kind = self._kinds.get(rule.when.kind)
        if kind is None:
            return rule.name
        happened = catalogue(language)["happened"]
        wording = Wording(happened, kind.own_words(language, "happened"), language, self._hub.home)
        return kind.happened(rule.when, value, wording)

    def _looping(self, rule_id: str, now: float) -> bool:
        times = self._recent.setdefault(rule_id, deque(maxlen=self._limit))
        while times and now - times[0] > self._window:
            times.popleft()
        if len(times) >= self._limit:
            times.clear()
            return True
        times.append(now)
        return False

    async def _one(self, rule: Rule, action: Action, actor: Actor, reason: str, reason_en: str) -> None:
        if action.kind is ActionKind.DELAY:
            await self._hub.clock.sleep_until(self._hub.clock.now() + action.seconds)
        elif action.kind is ActionKind.NOTIFY:
            await self._notifier.notify(action.to, _message(action.message, reason, reason_en), rule.id)
        elif action.kind is ActionKind.ANNOUNCE:
            self._notifier.announce(_message(action.message, reason, reason_en), action.device)
        elif action.kind in (ActionKind.COMMAND, ActionKind.SCENE):
            command = action.command or Command("run_scene", (), {"scene": action.scene})
            outcome = await self._hub.execute(command, actor=actor, confirmed=rule.confirmed)
            for result in outcome.results:
                if not result.ok:
                    await self._failed(rule, result.target, result.error.value if result.error else "error")

    async def _failed(self, rule: Rule, device: str, error: str) -> None:
        log.warning("rule %s: %s failed on %s", rule.id, error, device)
        said = Said("notification.rule_action_failed", {"rule": rule.name, "device": device, "error": error})
        await self._notifier.notify((rule.created_by,) if rule.created_by else (), said, rule.id)


def _message(written: str, reason: str, reason_en: str) -> Said:
    """A rule's own message as its maker wrote it, or else what set the rule off, in both languages."""
    return as_written(written) if written else as_written(reason, reason_en)
