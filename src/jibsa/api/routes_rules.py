"""Rules (automations) and who is home: list, add, switch, remove; set a person's presence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field, StrictBool

from jibsa.api.auth import Principal, anyone, member_or_owner
from jibsa.api.confirmation import command_confirmed
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.domain import Command
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
    return {"rules": [r.to_dict() for r in engine.listed()],
            "broken": [{"id": i, "problem": p} for i, p in engine.broken.items()]}


@router.post("/rules", summary="Add a rule", status_code=201)
async def add_rule(request: Request, body: RuleRequest = Body(...),
                   principal: Principal = Depends(member_or_owner)) -> dict[str, Any]:
    """A rule that unlocks a door (or opens the gas valve) needs an owner and a confirmation (409 first)."""
    context = api_context(request)
    engine = _engine(request)
    try:
        rule = read_rule(body.rule, engine.hub.home, "rule", engine.kinds)
    except RuleFormatError as exc:
        raise ApiError("bad_rule", {"field": exc.path, "problem": exc.problem}) from None
    command = Command("add_rule", (), {"rule": body.rule})
    confirmed = False
    if sensitive_actions(rule, engine.hub.home):
        confirmed = await command_confirmed(context, principal, command, body.confirm, body.pin)
    outcome = await engine.hub.execute(command, actor=principal.actor("api"), confirmed=confirmed)
    if outcome.error:
        raise ApiError(_OUTCOME_ERRORS.get(outcome.error, "bad_rule"), dict(outcome.answer))
    return dict(outcome.answer["rule"])


@router.patch("/rules/{rule_id}", summary="Switch a rule on or off")
async def switch_rule(rule_id: str, request: Request, body: RuleSwitch,
                      _: Principal = Depends(member_or_owner)) -> dict[str, Any]:
    rule = await _engine(request).set_enabled(rule_id, body.enabled)
    if rule is None:
        raise ApiError("unknown_rule", {"rule": rule_id})
    return rule.to_dict()


@router.delete("/rules/{rule_id}", status_code=204, summary="Remove a rule")
async def remove_rule(rule_id: str, request: Request, _: Principal = Depends(member_or_owner)) -> None:
    engine = _engine(request)
    if rule_id not in engine.rules and rule_id not in engine.broken:
        raise ApiError("unknown_rule", {"rule": rule_id})
    await engine.remove(rule_id)


@router.get("/presence", summary="Who is home")
async def get_presence(request: Request, _: Principal = Depends(anyone)) -> dict[str, bool]:
    return _engine(request).presence.people()


@router.put("/presence/{person}", summary="Say that a person is home or away (a phone, the dashboard)")
async def set_presence(person: str, request: Request, body: PresenceRequest,
                       _: Principal = Depends(member_or_owner)) -> dict[str, bool]:
    engine = _engine(request)
    name = person.strip()[:100]
    if not name:
        raise ApiError("invalid_request", {"person": "a name is needed"})
    engine.presence.set(name, body.home)
    return engine.presence.people()
