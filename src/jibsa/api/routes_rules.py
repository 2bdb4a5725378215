"""Rules (automations) and who is home: list, add, switch, remove; set a person's presence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field, StrictBool

from jibsa.api.auth import Principal, anyone, member_or_owner
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError, refused_by_gate
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.domain import Command, Role
from jibsa.gate import GateRefused
from jibsa.rules.engine import RuleEngine
from jibsa.rules.model import RuleFormatError, sensitive_actions
from jibsa.rules.schema import read_rule

router = APIRouter(prefix="/api", tags=["rules"], responses=ERROR_RESPONSES)
_OUTCOME_ERRORS = {"not_allowed": "not_allowed", "needs_owner_confirmation": "needs_confirmation",
                   "too_many_rules": "too_many_requests",
                   "bad_rule": "bad_rule"}  # fmt: skip


class RuleRequest(BaseModel):
    rule: dict[str, Any] = Field(description="The rule's JSON form (docs/rules.md)")
    confirm: StrictBool = Field(False, description="Confirms a rule whose action needs it (unlocking a door)")
    pin: str | None = None


class RuleSwitch(BaseModel):
    enabled: StrictBool


class PresenceRequest(BaseModel):
    home: StrictBool


def _engine(request: Request) -> RuleEngine:
    engine = api_context(request).running.rules
    if engine is None:
        raise ApiError("not_found", {"reason": "rules need a store that keeps them"})
    return engine


@router.get("/rules", summary="Every rule, and rules that no longer fit the home")
async def list_rules(request: Request, _: Principal = Depends(anyone)) -> dict[str, Any]:
    engine = _engine(request)
    return {
        "rules": [r.to_dict() for r in engine.listed()],
        "broken": [{"id": i, "problem": p} for i, p in engine.broken.items()],
    }


@router.post("/rules", summary="Add a rule", status_code=201)
async def add_rule(
    request: Request, body: RuleRequest = Body(...), principal: Principal = Depends(member_or_owner)
) -> dict[str, Any]:
    """A rule that unlocks a door (or opens the gas valve) needs an owner and a confirmation (409 first)."""
    context = api_context(request)
    engine = _engine(request)
    try:
        rule = read_rule(body.rule, engine.hub.home, "rule", engine.kinds)
    except RuleFormatError as exc:
        raise ApiError("bad_rule", {"field": exc.path, "problem": exc.problem}) from None
    command = Command("add_rule", (), {"rule": body.rule})
    gate, asker = context.running.gate, principal.at()
    confirmed = False
    if sensitive_actions(rule, engine.hub.home):
        if principal.role is not Role.OWNER:  # no confirmation can make it the member's: say so, not 409
            await gate.audit(asker, "rule_create", {"rule": body.rule}, ok=False, result={"error": "not_allowed"})
            raise ApiError(
                "not_allowed",
                {"reason": "only an owner may make a rule that unlocks a door or opens the gas valve"},
                audited=True,
            )
        try:
            confirmed = gate.confirmed(asker, command, body.confirm, body.pin)
        except GateRefused as refused:
            await gate.audit(asker, "rule_create", {"rule": body.rule}, ok=False, result={"error": refused.code})
            raise refused_by_gate(refused) from None
    outcome = await gate.command(asker, command, confirmed=confirmed, action="rule_create")
    if outcome.error:
        raise ApiError(_OUTCOME_ERRORS.get(outcome.error, "bad_rule"), dict(outcome.answer))
    return dict(outcome.answer["rule"])


@router.patch("/rules/{rule_id}", summary="Switch a rule on or off")
async def switch_rule(
    rule_id: str, request: Request, body: RuleSwitch, principal: Principal = Depends(member_or_owner)
) -> dict[str, Any]:
    rule = await _engine(request).set_enabled(rule_id, body.enabled)
    await api_context(request).running.gate.audit(
        principal.at(), "rule_toggle", {"rule": rule_id, "enabled": body.enabled}, ok=rule is not None
    )
    if rule is None:
        raise ApiError("unknown_rule", {"rule": rule_id}, audited=True)
    return rule.to_dict()


@router.delete("/rules/{rule_id}", status_code=204, summary="Remove a rule")
async def remove_rule(rule_id: str, request: Request, principal: Principal = Depends(member_or_owner)) -> None:
    engine = _engine(request)
    known = rule_id in engine.rules or rule_id in engine.broken
    await api_context(request).running.gate.audit(principal.at(), "rule_delete", {"rule": rule_id}, ok=known)
    if not known:
        raise ApiError("unknown_rule", {"rule": rule_id}, audited=True)
    await engine.remove(rule_id)


@router.get("/presence", summary="Who is home")
async def get_presence(request: Request, _: Principal = Depends(anyone)) -> dict[str, bool]:
    return _engine(request).presence.people()


@router.put("/presence/{person}", summary="Say that a person is home or away (a phone, the dashboard)")
async def set_presence(
    person: str, request: Request, body: PresenceRequest, principal: Principal = Depends(member_or_owner)
) -> dict[str, bool]:
    engine = _engine(request)
    name = person.strip()[:100]
    if not name:
        raise ApiError("invalid_request", {"person": "a name is needed"})
    engine.presence.set(name, body.home)
    await api_context(request).running.gate.audit(
        principal.at(), "presence", {"person": name, "home": body.home}, ok=True
    )
    return engine.presence.people()
