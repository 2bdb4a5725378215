"""Notifications: each person's own and everyone's, read and unread."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.hub.rule_store import RuleStore

router = APIRouter(prefix="/api", tags=["notifications"], responses=ERROR_RESPONSES)


class ReadRequest(BaseModel):
    ids: list[int] | None = None  # None: all of mine


def _store(request: Request) -> RuleStore:
    store = api_context(request).running.store
    assert isinstance(store, RuleStore)
    return store


@router.get("/notifications", summary="My notifications (and everyone's), newest first")
async def list_notifications(
    request: Request, unread: bool = Query(False), limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(anyone),  # noqa: B008
) -> dict[str, Any]:
    home_id = api_context(request).home_id
    found = await _store(request).notifications(home_id, principal.name, unread_only=unread, limit=limit)
    unread_count = len(await _store(request).notifications(home_id, principal.name, unread_only=True, limit=1000))
    return {"notifications": [n.to_dict() for n in found], "unread": unread_count}


@router.post("/notifications/read", summary="Mark some (or all) of my notifications read")
async def mark_read(request: Request, body: ReadRequest, principal: Principal = Depends(anyone)) -> dict[str, int]:  # noqa: B008
    changed = await _store(request).mark_read(api_context(request).home_id, principal.name, body.ids)
    return {"marked": changed}
