"""Notifications: each person's own and everyone's, read and unread."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, BeforeValidator, Field

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.events import with_words
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.domain import Role
from jibsa.hub.notification_store import NotificationStore, PushSubscription
from jibsa.push_addresses import EndpointRefused, check_endpoint
from jibsa.web_push import MAX_SUBSCRIPTIONS_PER_PERSON, application_server_key

router = APIRouter(prefix="/api", tags=["notifications"], responses=ERROR_RESPONSES)


def _whole_number(value: Any) -> Any:
    """JSON has one kind of number: 3488.0 is the id 3488 (JSON Schema calls it an integer); 3488.5,
    true and "3488" are not ids."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value


NotificationId = Annotated[int, Field(ge=0, le=2**31 - 1), BeforeValidator(_whole_number)]


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
    request: Request,
    unread: bool = Query(False),
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(anyone),
) -> dict[str, Any]:
    home_id = api_context(request).home_id
    found = await _store(request).notifications(home_id, principal.name, unread_only=unread, limit=limit)
    unread_count = len(await _store(request).notifications(home_id, principal.name, unread_only=True, limit=1000))
    return {"notifications": [with_words(n.to_dict()) for n in found], "unread": unread_count}


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
async def subscribe(
    request: Request, body: PushSubscriptionRequest, principal: Principal = Depends(anyone)
) -> dict[str, str]:
    """Only https to a public address (an owner may allow networks of the home's own); a person has at most
    MAX_SUBSCRIPTIONS_PER_PERSON, and an endpoint another person subscribed stays theirs."""
    push = api_context(request).running.push
    try:
        await check_endpoint(body.endpoint, push.allowed if push is not None else ())
    except EndpointRefused as exc:  # a way into the home's network, perhaps: kept in the audit log too
        await api_context(request).running.gate.audit(
            principal.at(),
            "push_subscribe",
            {"endpoint": body.endpoint},
            ok=False,
            result={"error": "invalid_request", "endpoint": str(exc)},
        )
        raise ApiError("invalid_request", {"endpoint": str(exc)}) from None
    store, home_id = _store(request), api_context(request).home_id
    everyone = await store.push_subscriptions(home_id, None)
    if any(s.endpoint == body.endpoint and s.person != principal.name for s in everyone):
        raise ApiError("forbidden", {"endpoint": "subscribed by another person"})
    mine = [s.endpoint for s in everyone if s.person == principal.name]
    if body.endpoint not in mine and len(mine) >= MAX_SUBSCRIPTIONS_PER_PERSON:
        raise ApiError("too_many_requests", {"subscriptions": len(mine), "limit": MAX_SUBSCRIPTIONS_PER_PERSON})
    subscription = PushSubscription(body.endpoint, principal.name, body.keys.p256dh, body.keys.auth)
    await store.save_push_subscription(home_id, subscription)
    await api_context(request).running.gate.audit(
        principal.at(), "push_subscribe", {"endpoint": body.endpoint}, ok=True
    )
    return {"endpoint": body.endpoint}


@router.delete("/push/subscriptions", status_code=204, summary="Stop sending to this browser")
async def unsubscribe(
    request: Request, endpoint: str = Query(..., max_length=1000), principal: Principal = Depends(anyone)
) -> None:
    """A person's own subscription (an owner may remove anyone's)."""
    store, home_id = _store(request), api_context(request).home_id
    person = None if principal.role is Role.OWNER else principal.name
    if endpoint not in {s.endpoint for s in await store.push_subscriptions(home_id, person)}:
        raise ApiError("not_found", {"endpoint": "no such subscription of yours"})
    await store.delete_push_subscription(home_id, endpoint)
    await api_context(request).running.gate.audit(principal.at(), "push_unsubscribe", {"endpoint": endpoint}, ok=True)
