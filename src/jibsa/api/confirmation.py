"""Deciding whether a request that needs a second word (unlocking a door) has it."""

from __future__ import annotations

from jibsa.api.accounts import verify_password
from jibsa.api.auth import Principal
from jibsa.api.context import ApiContext
from jibsa.api.errors import ApiError


async def is_confirmed(context: ApiContext, principal: Principal, request_key: str, confirm: bool,
                       pin: str | None) -> bool:
    """True when the request is confirmed: with the home's PIN when it has one, else by coming again.

    A request that is not (yet) confirmed is remembered, so that the same request with
    ``confirm: true`` within a minute is. A wrong PIN raises `wrong_pin`; too many, `too_many_requests`.
    """
    user = principal.user_key
    pin_hash = context.auth.unlock_pin_hash
    if not confirm:
        context.gate.ask(user, request_key)
        return False
    if pin_hash is None:
        if context.gate.take(user, request_key):
            return True
        context.gate.ask(user, request_key)
        return False
    wait = context.pin_limiter.retry_after(user)
    if wait:
        raise ApiError("too_many_requests", headers={"Retry-After": str(wait)})
    if pin is None or not verify_password(pin_hash, pin):
        context.pin_limiter.record(user)
        raise ApiError("wrong_pin")
    context.pin_limiter.reset(user)
    return True
