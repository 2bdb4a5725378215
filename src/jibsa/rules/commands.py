"""The rule commands: add_rule, list_rules, enable_rule, disable_rule, remove_rule.

Who may make a rule is decided with today's policy: guests may not; a rule whose action needs a
second word (unlocking a door) or that a guest could never do (opening the gas valve) is taken only
from an owner who confirmed it, and still goes through the hub's policy when it fires.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from jibsa.domain import Command, Role
from jibsa.domain.policy import rule_limit
from jibsa.hub.outcome import Actor, Outcome
from jibsa.rules.engine import RuleEngine
from jibsa.rules.model import Rule, RuleFormatError, sensitive_actions
from jibsa.rules.schema import read_rule
from jibsa.rules.why import explain


class RuleCommands:
    """The rule intents as the hub hands them over (the hub's `RuleBook`), carried out on `engine`."""

    def __init__(self, engine: RuleEngine) -> None:
        self.engine = engine

    async def handle(self, command: Command, actor: Actor, confirmed: bool) -> Outcome:
        """Carry out a rule intent (add_rule, list_rules, enable/disable/remove_rule, why)."""
        return await handle_rule_intent(self.engine, command, actor, confirmed)


def creation_refusal(rule: Rule, actor: Actor, confirmed: bool, engine: RuleEngine) -> str | None:
    """Why `actor` may not make `rule` now (an error code), or None."""
    if actor.role is Role.GUEST:
        return "not_allowed"
    if sensitive_actions(rule, engine.hub.home) and not (actor.role is Role.OWNER and confirmed):
        return "needs_owner_confirmation"
    if sum(1 for kept in engine.rules.values() if kept.created_by == actor.name) >= rule_limit(actor.role):
        return "too_many_rules"
    return None


async def handle_rule_intent(engine: RuleEngine, command: Command, actor: Actor, confirmed: bool) -> Outcome:
    if command.intent == "add_rule":
        return await _add(engine, command, actor, confirmed)
    if command.intent == "why":
        return await explain(engine, command)
    if command.intent == "list_rules":
        jobs = [j.name or str(j.command.get("intent", "")) for j in engine.hub.pending_jobs()]
        return Outcome(command, answer={"rules": [r.to_dict() for r in engine.listed()], "jobs": jobs})
    if actor.role is Role.GUEST:
        return Outcome(command, error="not_allowed")
    found = matching_rules(engine, command.params)
    if not found:
        return Outcome(command, error="no_rule")
    for rule in found:
        if command.intent == "remove_rule":
            await engine.remove(rule.id)
        else:
            await engine.set_enabled(rule.id, command.intent == "enable_rule")
    return Outcome(command, answer={"changed": [r.name for r in found]})


async def _add(engine: RuleEngine, command: Command, actor: Actor, confirmed: bool) -> Outcome:
    try:
        rule = read_rule(command.params.get("rule"), engine.hub.home, "rule", engine.kinds)
    except RuleFormatError as exc:
        return Outcome(command, error="bad_rule", answer={"problem": str(exc)})
    refusal = creation_refusal(rule, actor, confirmed, engine)
    if refusal is not None:
        return Outcome(command, error=refusal, answer={"name": rule.name})
    kept = await engine.add(replace(rule, id="", created_by=actor.name, role=actor.role, confirmed=confirmed))
    return Outcome(command, answer={"rule": kept.to_dict(), "id": kept.id, "name": kept.name})


def matching_rules(engine: RuleEngine, params: Any) -> list[Rule]:
    """Rules picked by id, by a device they name, or by a word of their name."""
    rule_id, device, words = params.get("id"), params.get("device"), str(params.get("name") or "").strip()
    rules = list(engine.rules.values())
    if rule_id:
        return [r for r in rules if r.id == rule_id]
    if device:
        return [r for r in rules if device in r.devices()]
    return [r for r in rules if words and words in r.name]
