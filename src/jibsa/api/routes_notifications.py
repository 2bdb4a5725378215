"""Notifications: each person's own and everyone's, read and unread."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, StrictInt

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.hub.notification_store import NotificationStore, PushSubscription
from jibsa.web_push import application_server_key

router = APIRouter(prefix="/api", tags=["notifications"], responses=ERROR_RESPONSES)


NotificationId = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]


class ReadRequest(BaseModel):
    ids: list[NotificationId] | None = Field(None, max_length=1000)  # None: all of mine


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)


class PushSubscriptionRequest(BaseModel):
    """What the browser's `PushSubscription.toJSON()` gives."""

    endpoint: str = Field(pattern=r"^https?://", max_length=1000)
    keys: PushKeys


def _store(request: Request) -> NotificationStore:
    store = api_context(request).running.store
    assert isinstance(store, NotificationStore)
    return store


@router.get("/notifications", summary="My notifications (and everyone's), newest first")
async def list_notifications(
    request: Request, unread: bool = Query(False), limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(anyone),
) -> dict[str, Any]:
    home_id = api_context(request).home_id
    found = await _store(request).notifications(home_id, principal.name, unread_only=unread, limit=limit)
    unread_count = len(await _store(request).notifications(home_id, principal.name, unread_only=True, limit=1000))
    return {"notifications": [n.to_dict() for n in found], "unread": unread_count}


@router.post("/notifications/read", summary="Mark some (or all) of my notifications read")
async def mark_read(request: Request, body: ReadRequest, principal: Principal = Depends(anyone)) -> dict[str, int]:
    changed = await _store(request).mark_read(api_context(request).home_id, principal.name, body.ids)
    return {"marked": changed}


@router.get("/push/key", summary="The public key browsers subscribe to Web Push with (applicationServerKey)")
async def push_key(request: Request, _: Principal = Depends(anyone)) -> dict[str, str]:
    push = api_context(request).running.push
    if push is None:
        raise ApiError("not_found", {"reason": "web push needs a store that keeps subscriptions"})
    return {"key": application_server_key(push.vapid)}


@router.post("/push/subscriptions", status_code=201, summary="Send my notifications to this browser too")
async def subscribe(request: Request, body: PushSubscriptionRequest,
                    principal: Principal = Depends(anyone)) -> dict[str, str]:
    subscription = PushSubscription(body.endpoint, principal.name, body.keys.p256dh, body.keys.auth)
    await _store(request).save_push_subscription(api_context(request).home_id, subscription)
    await api_context(request).running.gate.audit(principal.at(), "push_subscribe", {"endpoint": body.endpoint},
                                                  ok=True)
    return {"endpoint": body.endpoint}


@router.delete("/push/subscriptions", status_code=204, summary="Stop sending to this browser")
async def unsubscribe(request: Request, endpoint: str = Query(..., max_length=1000),
                      principal: Principal = Depends(anyone)) -> None:
    await _store(request).delete_push_subscription(api_context(request).home_id, endpoint)
    await api_context(request).running.gate.audit(principal.at(), "push_unsubscribe", {"endpoint": endpoint},
                                                  ok=True)
