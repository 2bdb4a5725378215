"""Errors are JSON with a stable code and messages in Korean and English — never a stack trace."""

from __future__ import annotations

import httpx
import pytest

from jibsa.api.app import web_root
from jibsa.domain import Role


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("GET", "/api/nothing", None, 404, "not_found"),
        ("PUT", "/api/devices", None, 405, "method_not_allowed"),
        ("POST", "/api/conversation", [1], 422, "invalid_request"),
        ("POST", "/api/conversation", {"txt": "hi"}, 422, "invalid_request"),
        ("GET", "/api/history?since=abc", None, 422, "invalid_request"),
    ],
)
async def test_error_bodies(harness, method, path, body, status, code) -> None:  # noqa: PLR0917 - parametrized
    response = await harness.as_(Role.MEMBER, method, path, json=body)
    assert response.status_code == status
    error = response.json()
    assert error["code"] == code and error["message"] and error["message_en"]


async def test_broken_json_is_a_validation_error(harness) -> None:
    response = await harness.as_(
        Role.MEMBER, "POST", "/api/conversation", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


async def test_an_unexpected_failure_is_a_500_without_a_traceback(harness, monkeypatch) -> None:
    def broken(device_id: str) -> dict[str, object]:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(harness.running.hub, "state", broken)
    transport = httpx.ASGITransport(app=harness.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://jibsa.test") as client:
        response = await client.get("/api/devices", headers=harness.auth(Role.MEMBER))
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


async def test_security_headers_and_no_third_party_assets(harness) -> None:
    page = await harness.client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    root = web_root()
    assets = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in {".js", ".css", ".svg", ".json"}]
    assert "app.js" in assets and "vendor/icons.svg" in assets
    for asset in assets:
        response = await harness.client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
        assert "http://" not in response.text.replace("http://www.w3.org", "")
        assert "https://" not in response.text


async def test_the_openapi_document_describes_the_api(harness) -> None:
    document = (await harness.client.get("/api/openapi.json")).json()
    paths = document["paths"]
    for path in (
        "/api/conversation",
        "/api/devices",
        "/api/devices/{device_id}",
        "/api/devices/{device_id}/commands",
        "/api/rooms",
        "/api/scenes",
        "/api/scenes/{scene_id}/run",
        "/api/history",
        "/api/users",
    ):
        assert path in paths, path
    assert (await harness.client.get("/docs")).status_code == 404  # Swagger UI would load from a CDN


async def test_an_unexpected_failure_is_logged_once_and_kept_from_the_server(harness, monkeypatch, caplog) -> None:
    """Starlette's own last handler answers 500 and then raises the error again, for the server (uvicorn) to
    log a second time: the error must stop at jibsa's, which logs it once with the request's id."""

    def broken(device_id: str) -> dict[str, object]:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(harness.running.hub, "state", broken)
    transport = httpx.ASGITransport(app=harness.app)  # an error that escapes the app is raised here
    async with httpx.AsyncClient(transport=transport, base_url="http://jibsa.test") as client:
        response = await client.get("/api/devices", headers={**harness.auth(Role.MEMBER), "X-Request-Id": "r-7"})
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    assert response.json()["detail"] == {"request_id": "r-7"} and response.headers["x-request-id"] == "r-7"
    assert "secret internals" not in response.text and response.headers["x-content-type-options"] == "nosniff"
    logged = [r for r in caplog.records if r.exc_info is not None]
    assert len(logged) == 1 and "r-7" in logged[0].getMessage()
