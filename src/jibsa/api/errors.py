"""Errors of the HTTP API: one exception type, one table of stable codes with Korean and English
messages, and the handlers that turn anything that goes wrong into that JSON (never a traceback).

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

from jibsa.gate import GateRefused

log = logging.getLogger(__name__)

# code -> (HTTP status, Korean message, English message). Codes are stable: clients rely on them.
MESSAGES: dict[str, tuple[int, str, str]] = {
    "invalid_request": (422, "요청 형식이 올바르지 않아요.", "The request is not valid."),
    "not_authenticated": (401, "로그인이 필요해요.", "You need to log in or send an access token."),
    "bad_credentials": (401, "이름이나 비밀번호가 맞지 않아요.", "Wrong name or password."),
    "csrf_failed": (403, "요청을 확인할 수 없어요. 페이지를 새로 고쳐 주세요.",
                    "The request could not be verified (CSRF token missing or wrong). Reload the page."),
    "forbidden": (403, "이 작업을 할 권한이 없어요.", "Your role does not allow this."),
    "not_allowed": (403, "이 작업을 할 권한이 없어요.", "Your role does not allow this."),
    "refused_for_safety": (403, "안전을 위해 할 수 없어요.", "Refused for safety."),
    "wrong_pin": (403, "PIN이 맞지 않아요.", "Wrong PIN."),
    "pin_required": (403, "이 집에는 PIN이 없어서 말로는 확인할 수 없어요.",
                     "This home has no PIN, so this cannot be confirmed by voice."),
    "not_found": (404, "찾을 수 없어요.", "Not found."),
    "unknown_device": (404, "그런 기기가 없어요.", "No such device."),
    "unknown_scene": (404, "그런 장면이 없어요.", "No such scene."),
    "unknown_user": (404, "그런 사용자가 없어요.", "No such user."),
    "unknown_job": (404, "그런 예약이 없어요.", "No such timer or schedule."),
    "unknown_room": (422, "그런 방이 없어요.", "The home has no such room."),
    "unknown_rule": (404, "그런 규칙이 없어요.", "No such rule."),
    "bad_rule": (422, "규칙이 올바르지 않아요.", "The rule is not valid (see detail: field and problem)."),
    "method_not_allowed": (405, "이 주소에서는 그 방법을 쓸 수 없어요.", "Method not allowed here."),
    "needs_confirmation": (409, "한 번 더 확인해 주세요.",
                           "This needs a confirmation: send it again with \"confirm\": true (and the PIN if set)."),
    "user_exists": (409, "이미 있는 이름이에요.", "A user with this name already exists."),
    "cannot_remove_self": (409, "자기 자신은 지울 수 없어요.", "You cannot remove yourself."),
    "device_refused": (409, "기기가 그 명령을 받지 않았어요.", "The device refused the command."),
    "unsupported_intent": (422, "그 기기로는 할 수 없는 일이에요.", "The device does not support this intent."),
    "unsupported_property": (422, "그 기기에는 그런 속성이 없어요.", "The device has no such property."),
    "read_only_property": (422, "그 속성은 바꿀 수 없어요.", "That property is read-only."),
    "bad_value": (422, "값이 올바르지 않아요.", "The value is not valid."),
    "payload_too_large": (413, "요청이 너무 커요.", "The request body is too large."),
    "too_many_requests": (429, "시도가 너무 많아요. 잠시 뒤에 다시 해 주세요.", "Too many attempts; try again later."),
    "not_answering": (504, "기기가 응답하지 않아요.", "The device is not answering."),
    "unconfirmed": (504, "명령을 보냈지만 기기 상태로 확인하지 못했어요.",
                    "The command was sent, but the device's own state did not confirm it in time."),
    "matter_not_set_up": (409, "매터 컨트롤러가 설정되어 있지 않아요.",
                          "No Matter controller is set up (serve --matter)."),
    "energy_not_kept": (409, "전기 사용량을 기록해 둘 곳이 없어요.", "This home's store does not keep energy use."),
    "internal_error": (500, "서버에 문제가 생겼어요.", "Something went wrong on the server."),
}
_STATUS_CODES = {400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "needs_confirmation", 413: "payload_too_large", 422: "invalid_request",
                 429: "too_many_requests"}  # fmt: skip


class ApiError(Exception):
    """An error the API answers with: a code from `MESSAGES`, optional detail and extra headers.
    `audited` says the handler already wrote the attempt to the audit log."""

    def __init__(self, code: str, detail: Any = None, *, headers: Mapping[str, str] | None = None,
                 status: int | None = None, audited: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.status = status or MESSAGES.get(code, MESSAGES["internal_error"])[0]
        self.audited = audited


def refused_by_gate(refused: GateRefused) -> ApiError:
    """The gate's refusal as the API answers it (already audited by the gate)."""
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
    return ApiError(refused.code, refused.detail or None, headers=headers, audited=True)


RefusalHook = Callable[[Request, ApiError], Awaitable[None]]


def error_body(code: str, detail: Any = None) -> dict[str, Any]:
    """The JSON body for `code`."""
    _, ko, en = MESSAGES.get(code, MESSAGES["internal_error"])
    body: dict[str, Any] = {"code": code, "message": ko, "message_en": en}
    if detail is not None:
        body["detail"] = detail
    return body


def error_response(code: str, detail: Any = None, *, status: int | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    status = status or MESSAGES.get(code, MESSAGES["internal_error"])[0]
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
