"""Issue 20, item 17: error bodies and audit rows never carry a credential. Attacked with a PIN in odd
places (the text, command parameters, a field name, full-width and zero-width-spaced digits, spoken Korean
digits), tokens and passwords, and a huge body; then every error body and every audit row is searched."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from jibsa.api.accounts import hash_password
from jibsa.domain import Role

PIN = "2468"
TOKEN = "jibsa_AbCdEfGhIjKlMnOpQrStUv0123"  # shaped like jibsa's own tokens
SERVICE_KEY = "Abc%2BdEf123456789%3D%3D"
SECRETS = (PIN, "２４６８", "이사육팔", "AbCdEfGhIjKlMnOp", "hunter2hunter2", "eyJhbGciOiJIUzI1NiJ9", SERVICE_KEY)
WITH_PIN = [{"unlock_pin_hash": hash_password(PIN)}]


def _clean(where: str, value: Any) -> None:
    if isinstance(value, dict):  # a row's time is a float whose digits may hold "2468" by chance
        value = {key: field for key, field in value.items() if not (key == "at" and isinstance(field, float))}
    text = json.dumps(value, ensure_ascii=False, default=str)
    leaked = [s for s in SECRETS if s in text or s in text.replace(" ", "")]
    assert not leaked, f"{where} carries {leaked}: {text[:500]}"


async def _audit_rows(harness) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = await harness.as_(Role.OWNER, "GET", "/api/audit", params={"limit": 500})
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()
    return rows


@pytest.mark.parametrize("auth_settings", WITH_PIN)
async def test_a_pin_said_or_sent_anywhere_is_kept_out_of_the_audit_and_error_bodies(harness) -> None:  # type: ignore[no-untyped-def]
    asked = await harness.as_(Role.OWNER, "POST", "/api/conversation", json={"text": "현관문 열어줘", "session": "s"})
    assert asked.json()["needs_confirmation"] is True
    for text in (
        f"응 {PIN}",
        "응 ２４６８",  # full-width digits
        "응 2\u200b4\u200b6\u200b8",  # zero-width spaces between the digits
        "네 이 사 육 팔",  # spoken Korean digits
        f"현관문 열어줘 비밀번호 {PIN}로",
        f"PIN: {' '.join(PIN)}",
    ):
        answered = await harness.as_(Role.OWNER, "POST", "/api/conversation", json={"text": text, "session": "s"})
        _clean(f"the answer to {text!r}", answered.json())
    wrong = await harness.as_(
        Role.OWNER, "POST", "/api/conversation", json={"text": "응", "session": "s", "confirm": True, "pin": "1357"}
    )
    assert wrong.json()["code"] == "wrong_pin"
    rows = await _audit_rows(harness)
    assert len([row for row in rows if row["action"] == "conversation"]) == 8  # every turn is there, PIN-less
    for row in rows:
        _clean(f"audit row {row['action']}", row)
    odd = [
        ("POST", "/api/devices/front_door/command", {"intent": "unlock", "params": {"pin": PIN}, "pin": 2468}),
        ("POST", "/api/devices/front_door/command", {"intent": "unlock", "params": {"pin": PIN, "code": PIN}}),
        ("POST", "/api/devices/front_door/command", {"intent": "unlock", "params": {"ｐｉｎ": PIN}, "confirm": True}),
        ("POST", "/api/devices/living_light/command", {"intent": "turn_on", "params": {"unlock_pin": PIN}}),
        ("POST", "/api/conversation", {"text": "불 켜줘", "pin": {"value": PIN}}),
        ("POST", "/api/conversation", {"text": "불 켜줘", TOKEN: PIN}),
        ("POST", f"/api/devices/{TOKEN}/command", {"intent": "turn_on"}),
        ("POST", "/api/users", {"name": f"Bearer {TOKEN}", "role": "member", "password": "hunter2hunter2"}),
        ("POST", "/api/users", {"name": "x" * 200, "role": "member", "password": "hunter2hunter2", "pin": PIN}),
    ]
    for method, path, body in odd:
        response = await harness.as_(Role.OWNER, method, path, json=body)
        assert response.status_code < 500, response.text
        _clean(f"{method} {path} {body}", response.json())
    for row in await _audit_rows(harness):
        _clean(f"audit row {row['action']}", row)


async def test_a_huge_or_odd_body_with_credentials_is_answered_without_them(harness) -> None:  # type: ignore[no-untyped-def]
    huge = json.dumps({"text": "불 켜줘", "pin": PIN * 1000, "token": TOKEN}) + " " * 2_000_000
    response = await harness.as_(
        Role.OWNER, "POST", "/api/conversation", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    _clean("the 413 body", response.json())
    for content in (f'{{"text": "{TOKEN}", "session": 3}}', f"pin={PIN}&token={TOKEN}", "\udcff" * 3):
        sent = content.encode("utf-8", "surrogatepass")
        response = await harness.as_(
            Role.OWNER, "POST", "/api/conversation", content=sent, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, response.text
        _clean(f"the 422 body for {content!r}", response.json())
    bad_login = await harness.client.post("/api/login", json={"name": TOKEN, "password": "hunter2hunter2"})
    assert bad_login.status_code == 401
    _clean("the failed login's body", bad_login.json())
    for row in await _audit_rows(harness):
        _clean(f"audit row {row['action']}", row)
    assert any(row["action"] == "login" for row in await _audit_rows(harness))


async def test_the_authorization_header_is_never_echoed(harness) -> None:  # type: ignore[no-untyped-def]
    stolen = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig"
    response = await harness.client.get("/api/devices", headers={"Authorization": stolen})
    assert response.status_code == 401
    _clean("the 401 body", response.json())
    transport_error = await harness.client.post(
        "/api/conversation", headers={"Authorization": stolen}, json={"text": stolen}
    )
    _clean("the refused conversation", transport_error.json())
    assert isinstance(transport_error, httpx.Response)
