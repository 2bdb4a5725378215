"""The API's side of confirming: the home's unlock PIN, and confirming a device command by sending it
again. What is waiting to be confirmed is kept by `jibsa.confirmations`, shared with the conversation."""

from __future__ import annotations

from jibsa.api.accounts import verify_password
from jibsa.api.auth import Principal
from jibsa.api.context import ApiContext
from jibsa.api.errors import ApiError
from jibsa.conversation import Conversation
from jibsa.domain import Command


async def pin_confirms(context: ApiContext, principal: Principal, pin: str | None) -> bool:
    """True when the home has an unlock PIN and `pin` is it. A wrong PIN raises `wrong_pin`; too many
    wrong ones, `too_many_requests`. False when the home has no PIN (confirm by asking again)."""
    pin_hash = context.auth.unlock_pin_hash
    if pin_hash is None:
        return False
    user = principal.user_key
    wait = context.pin_limiter.retry_after(user)
    if wait:
        raise ApiError("too_many_requests", headers={"Retry-After": str(wait)})
    if pin is None or not verify_password(pin_hash, pin):
        context.pin_limiter.record(user)
        raise ApiError("wrong_pin")
    context.pin_limiter.reset(user)
    return True


async def command_confirmed(context: ApiContext, principal: Principal, command: Command, confirm: bool,
                            pin: str | None) -> bool:
    """Whether a command (to a device, or a scene) that needs a second word has it: the PIN when the home has one, else
    the same command sent again with ``confirm: true`` within the confirmation window."""
    if context.auth.unlock_pin_hash is not None:
        return confirm and await pin_confirms(context, principal, pin)
    confirmations = context.running.conversation.confirmations
    who = Conversation.who(principal.actor("api"), "api")
    if confirm and confirmations.take(who, [command]) is not None:
        return True
    confirmations.hold(who, [command])
    return False
