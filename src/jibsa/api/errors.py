"""Errors of the HTTP API: one exception type, one table of stable codes (what each says is in the
words catalogue, `error.<code>`), and the handlers that turn anything that goes wrong into that JSON
(never a traceback).

Every error body is ``{"code": "...", "message": "한국어", "message_en": "English"}``, sometimes with
``"detail"`` (which field was wrong, which device refused).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from jibsa.domain.said import Said
from jibsa.gate import GateRefused
from jibsa.redaction import redact_value
from jibsa.words import say

log = logging.getLogger(__name__)

# code -> HTTP status. Codes are stable: clients rely on them. What each says is `error.<code>` in the
# words catalogue (words/ko.yaml, words/en.yaml).
STATUS: dict[str, int] = {
    "invalid_request": 422,
    "not_authenticated": 401,
    "bad_credentials": 401,
    "csrf_failed": 403,
    "forbidden": 403,
    "not_allowed": 403,
    "refused_for_safety": 403,
    "wrong_pin": 403,
    "pin_required": 403,
    "not_found": 404,
    "unknown_device": 404,
    "unknown_scene": 404,
    "unknown_user": 404,
    "unknown_job": 404,
    "unknown_room": 422,
    "unknown_rule": 404,
    "bad_rule": 422,
    "method_not_allowed": 405,
    "needs_confirmation": 409,
    "user_exists": 409,
    "cannot_remove_self": 409,
    "device_refused": 409,
    "unsupported_intent": 422,
    "unsupported_property": 422,
    "read_only_property": 422,
    "bad_value": 422,
    "payload_too_large": 413,
    "too_many_requests": 429,
    "not_answering": 504,
    "home_not_answering": 504,  # the provider gateway: the home's worker did not answer in time
    "bad_invite": 404,  # the provider gateway: an invitation code unknown, used or expired
    "temporarily_unavailable": 503,  # the provider: its PostgreSQL away for now (down, restarting)
    "last_owner": 409,  # the provider: a home's last owner is never removed
    "unconfirmed": 504,
    "matter_not_set_up": 409,
    "energy_not_kept": 409,
    "internal_error": 500,
}
_STATUS_CODES = {400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "needs_confirmation", 413: "payload_too_large", 422: "invalid_request",
                 429: "too_many_requests"}  # fmt: skip


class ApiError(Exception):
    """An error the API answers with: a code from `STATUS`, optional detail and extra headers.
    `audited` says the handler already wrote the attempt to the audit log."""

    def __init__(
        self,
        code: str,
        detail: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
        audited: bool = False,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.status = status or STATUS.get(code, STATUS["internal_error"])
        self.audited = audited


def refused_by_gate(refused: GateRefused) -> ApiError:
    """The gate's refusal as the API answers it (already audited by the gate)."""
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
    return ApiError(refused.code, refused.detail or None, headers=headers, audited=True)


RefusalHook = Callable[[Request, ApiError], Awaitable[None]]


def error_body(code: str, detail: Any = None) -> dict[str, Any]:
    """The JSON body for `code`; its detail never carries a credential (`redact_value`)."""
    said = Said(f"error.{code if code in STATUS else 'internal_error'}")
    body: dict[str, Any] = {"code": code, "message": say(said, "ko"), "message_en": say(said, "en")}
    if detail is not None:
        body["detail"] = redact_value(detail)
    return body


def error_response(
    code: str, detail: Any = None, *, status: int | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    status = status or STATUS.get(code, STATUS["internal_error"])
    return JSONResponse(error_body(code, detail), status_code=status, headers=dict(headers or {}))


def _api_error(on_refused: RefusalHook | None) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def answer(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        if on_refused is not None and exc.status == 403 and not exc.audited:
            await on_refused(request, exc)
        return error_response(exc.code, exc.detail, status=exc.status, headers=exc.headers)

    return answer


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400:  # FastAPI's answer to a body it cannot decode (not UTF-8): as invalid as broken JSON
        status = 422
    code = _STATUS_CODES.get(status, "invalid_request" if status < 500 else "internal_error")
    headers = dict(exc.headers or {})
    if status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(code, status=status, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document gives this path (Starlette's 405 names only one route's)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].fullmatch(request.url.path):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
    return error_response("invalid_request", detail)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response("internal_error")


def install_error_handlers(app: FastAPI, on_refused: RefusalHook | None = None) -> None:
    """Make every error, expected or not, the same JSON shape; `on_refused` hears of each 403 that its
    route did not audit itself."""
    app.add_exception_handler(ApiError, _api_error(on_refused))
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
