"""The audit log: every command anyone sends — who, what, when, from where, and the result."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from jibsa.api.auth import Principal
from jibsa.api.context import ApiContext

log = logging.getLogger(__name__)


async def record(context: ApiContext, principal: Principal, action: str, detail: Mapping[str, Any], *,
                 ok: bool, result: Mapping[str, Any]) -> None:
    """Append one entry. A failing audit write is logged, and the error raised: no unrecorded commands."""
    from jibsa.storage import AuditEntry

    entry = AuditEntry(
        at=time.time(), home_id=context.home_id, user=principal.name, role=principal.role.value,
        source=f"{principal.via}:{principal.source}", action=action, detail=dict(detail), ok=ok, result=dict(result),
    )  # fmt: skip
    try:
        await context.accounts.append_audit(entry)
    except Exception:
        log.exception("audit write failed for %s by %s", action, principal.name)
        raise


def audit_to_dict(entry: Any) -> dict[str, Any]:
    return {
        "at": entry.at, "user": entry.user, "role": str(getattr(entry.role, "value", entry.role)),
        "source": entry.source, "action": entry.action, "detail": dict(entry.detail), "ok": bool(entry.ok),
        "result": dict(entry.result),
    }  # fmt: skip
