"""The audit log: every command anyone sends — who, what, when, from where, and the result."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from jibsa.api.accounts import role_of
from jibsa.api.auth import Principal
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError
from jibsa.redaction import redact

log = logging.getLogger(__name__)
# A route's name -> the action its successful requests are recorded as, where the two differ.
_ACTIONS = {"converse": "conversation", "send_command": "device_command"}


async def record(
    context: ApiContext,
    principal: Principal,
    action: str,
    detail: Mapping[str, Any],
    *,
    ok: bool,
    result: Mapping[str, Any],
) -> None:
    """Append one entry, through the gate (`Gate.audit`). A failing write is logged, and the error raised."""
    await context.running.gate.audit(principal.at(), action, detail, ok=ok, result=result)


async def record_refusal(request: Request, error: ApiError) -> None:
    """Record a refused request (403) of an authenticated person: which endpoint, and why it was refused.
    A failing write is logged (by `record`); the refusal is answered all the same."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        return
    route = request.scope.get("route")
    name = getattr(route, "name", None) or "request"
    action = _ACTIONS.get(name, name)
    detail = {"method": request.method, "path": request.url.path, **request.path_params}
    try:
        await record(api_context(request), principal, action, detail, ok=False, result={"error": error.code})
    except Exception:  # already logged by `record`; nothing was carried out, so the refusal stands
        return


async def record_failed_login(
    context: ApiContext, name: str, user: Any, address: str, *, error: str = "bad_credentials"
) -> None:
    """Record a login that failed: the name tried, its user (None for a name nobody has), from where, and
    why (`bad_credentials`, or `too_many_requests` for an address refused by the throttle)."""
    from jibsa.storage import AuditEntry

    role = role_of(user).value if user is not None else "unknown"
    entry = AuditEntry(
        at=time.time(),
        home_id=context.home_id,
        user=redact(name),  # a token pasted into the name box is not kept
        role=role,
        source=f"session:{address}",
        action="login",
        detail={},
        ok=False,
        result={"error": error},
    )
    await context.accounts.append_audit(entry)


def audit_to_dict(entry: Any) -> dict[str, Any]:
    return {
        "at": entry.at, "user": entry.user, "role": str(getattr(entry.role, "value", entry.role)),
        "source": entry.source, "action": entry.action, "detail": dict(entry.detail), "ok": bool(entry.ok),
        "result": dict(entry.result),
    }  # fmt: skip
