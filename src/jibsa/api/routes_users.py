"""People of the home and the audit log: for owners only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from jibsa.api.accounts import add_user_with_token, role_of
from jibsa.api.audit import audit_to_dict, record
from jibsa.api.auth import Principal, owner_only
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES, AuditBody, NewUserRequest, NewUserResponse, UserBody
from jibsa.domain import Role

router = APIRouter(prefix="/api", tags=["users"], responses=ERROR_RESPONSES)


@router.get("/users", response_model=list[UserBody], summary="Everyone who may use the home (owners)")
async def list_users(request: Request, _: Principal = Depends(owner_only)) -> list[dict[str, Any]]:
    context = api_context(request)
    return [{"name": u.name, "role": role_of(u).value} for u in await context.accounts.list_users(context.home_id)]


@router.post("/users", response_model=NewUserResponse, status_code=201, summary="Add a person (owners)")
async def add_user(
    body: NewUserRequest, request: Request, principal: Principal = Depends(owner_only)
) -> dict[str, Any]:
    """Creates the user and an access token, returned only this once (jibsa keeps only its hash)."""
    from jibsa.storage.errors import StorageConflict

    context = api_context(request)
    detail = {"name": body.name, "role": body.role}
    try:
        user, token = await add_user_with_token(
            context.accounts, context.home_id, body.name, Role(body.role), body.password
        )
    except StorageConflict:
        await record(context, principal, "add_user", detail, ok=False, result={"error": "user_exists"})
        raise ApiError("user_exists", {"name": body.name}) from None
    await record(context, principal, "add_user", detail, ok=True, result={})
    return {"name": user.name, "role": role_of(user).value, "token": token}


@router.delete("/users/{name}", response_model=UserBody, summary="Remove a person and their tokens (owners)")
async def remove_user(name: str, request: Request, principal: Principal = Depends(owner_only)) -> dict[str, Any]:
    context = api_context(request)
    user = await context.accounts.get_user(context.home_id, name)
    if user is None:
        raise ApiError("unknown_user", {"name": name})
    if user.id == principal.user.id:
        raise ApiError("cannot_remove_self")
    await context.accounts.revoke_tokens(user.id)
    await context.accounts.delete_user(user.id)
    context.tokens.forget_all()
    await context.sockets.close_user(str(user.id))
    await record(context, principal, "remove_user", {"name": name}, ok=True, result={})
    return {"name": user.name, "role": role_of(user).value}


@router.get("/audit", response_model=list[AuditBody], summary="Who did what, when, from where (owners)")
async def audit_log(
    request: Request,
    limit: int = Query(100, ge=1, le=1000),
    since: float | None = Query(None, ge=0, le=1e11, description="seconds since the epoch"),
    _: Principal = Depends(owner_only),
) -> list[dict[str, Any]]:
    context = api_context(request)
    return [audit_to_dict(e) for e in await context.accounts.audit(context.home_id, limit=limit, since=since)]
