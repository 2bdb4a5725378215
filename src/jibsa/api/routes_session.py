"""Logging in with a password (for the web page), logging out, and who am I."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from jibsa.api.accounts import role_of, secret_hash, verify_password
from jibsa.api.audit import record, record_failed_login
from jibsa.api.auth import Principal, anyone
from jibsa.api.context import SESSION_COOKIE, ApiContext, api_context, client_address
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES, LoginRequest, MeBody

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["session"], responses=ERROR_RESPONSES)


def _first_refusal(refused: dict[str, float], address: str, wait: int) -> bool:
    """True for the first 429 an address gets in its wait (the one the audit log keeps)."""
    now = time.monotonic()
    if refused.get(address, 0.0) > now:
        return False
    if len(refused) > 10_000:
        refused.clear()
    refused[address] = now + wait
    return True


@router.post("/login", response_model=MeBody, summary="Log in with a name and password (sets a session cookie)")
async def login(body: LoginRequest, request: Request, response: Response) -> dict[str, Any]:
    """Starts a session: an HttpOnly, SameSite=Strict cookie, and a CSRF token to send back in the
    `X-CSRF-Token` header with every request that changes something. Failed attempts are limited per
    address (429 with Retry-After) and slow down further logins as the same name (never a lock-out)."""
    context = api_context(request)
    address = client_address(request, context)
    throttle = context.login_throttle
    wait = throttle.retry_after(address)
    if wait:
        # One row per address and wait: a flood of refused logins does not fill the audit log.
        if _first_refusal(context.refused_logins, address, wait):
            await record_failed_login(context, body.name, None, address, error="too_many_requests")
        raise ApiError("too_many_requests", headers={"Retry-After": str(wait)})
    throttle.attempt(address)
    delay = throttle.delay(body.name)
    if delay:
        await context.pause(delay)
    user = await context.accounts.get_user(context.home_id, body.name)
    if not verify_password(user.password_hash if user is not None else None, body.password):
        log.warning("failed login for %r from %s", body.name, address)
        throttle.failed(body.name)
        await record_failed_login(context, body.name, user, address)
        raise ApiError("bad_credentials")
    throttle.succeeded(address, body.name)
    session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ttl = context.auth.session_ttl_s
    await context.accounts.delete_expired_sessions(time.time())  # logins are rare: a good time to tidy
    await context.accounts.create_session(secret_hash(session), user.id, time.time() + ttl, csrf)
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=int(ttl),
        httponly=True,
        samesite="strict",
        secure=context.auth.secure_cookies,
        path="/",
    )
    principal = Principal(user, role_of(user), "session", address, csrf)
    await record(context, principal, "login", {}, ok=True, result={})
    return _me(context, principal)


@router.post("/logout", summary="End this session")
async def logout(request: Request, response: Response, principal: Principal = Depends(anyone)) -> dict[str, Any]:
    context = api_context(request)
    if principal.session_hash is not None:
        await context.accounts.delete_session(principal.session_hash)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=context.auth.secure_cookies
    )
    return {"ok": True}


@router.get("/me", response_model=MeBody, summary="Who is asking, and the session's CSRF token")
async def me(request: Request, principal: Principal = Depends(anyone)) -> dict[str, Any]:
    return _me(api_context(request), principal)


def _me(context: ApiContext, principal: Principal) -> dict[str, Any]:
    home = context.running.hub.home
    return {
        "name": principal.name,
        "role": principal.role.value,
        "via": principal.via,
        "csrf_token": principal.csrf,
        "home": {"id": home.id, "name": home.name, "language": home.language},
    }
