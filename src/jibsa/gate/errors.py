"""Why the gate refused a request: a code of `jibsa.api.errors` (the HTTP API answers with it as it is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class GateRefused(Exception):
    """A refusal the asker is told: `code` (wrong_pin, too_many_requests, pin_required, not_allowed, …)."""

    def __init__(self, code: str, detail: Mapping[str, Any] | None = None, *, retry_after: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.detail = dict(detail or {})
        self.retry_after = retry_after
